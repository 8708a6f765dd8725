"""Training dynamics for the NumPy reference (numpy_experiments.py): optimizers, learning-rate
schedules with warmup, weight decay and l1, and softmax with cross-entropy over k classes.

Written from the rules as the issue and the README state them (PyTorch's torch.optim update rules,
written out), not from gradgrid's TypeScript:

    sgd       p <- p - lr*g
    momentum  v <- beta*v + g;  p <- p - lr*v
    nesterov  v <- beta*v + g;  p <- p - lr*(g + beta*v)
    rmsprop   s <- rho*s + (1-rho)*g^2;  p <- p - lr*g / (sqrt(s) + eps)
    adagrad   s <- s + g^2;  p <- p - lr*g / (sqrt(s) + eps)
    adam      m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*g^2;
              p <- p - lr*(m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
    adamw     W <- W*(1 - lr*wd) first, then adam (the decay never enters the gradient)

t counts the updates so far, this one included (minibatch steps count); every state starts at 0.
Penalties act on weights only: g_W <- g_W + wd*W (not for adamw), g_W <- g_W + l1*sign(W).
"""

import math

import numpy as np

OPTIMIZER_DEFAULTS = {
    'sgd': {},
    'momentum': {'beta': 0.9},
    'nesterov': {'beta': 0.9},
    'rmsprop': {'rho': 0.99, 'epsilon': 1e-8},
    'adagrad': {'epsilon': 1e-10},
    'adam': {'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8},
    'adamw': {'beta1': 0.9, 'beta2': 0.999, 'epsilon': 1e-8},
}


def optimizer_settings(setting):
    """A name or {name, ...} -> (name, hyperparameters with defaults)."""
    if setting is None:
        setting = 'sgd'
    if isinstance(setting, str):
        setting = {'name': setting}
    name = setting['name']
    params = dict(OPTIMIZER_DEFAULTS[name])
    for key, value in setting.items():
        if key != 'name':
            assert key in params, f'{name} takes no {key}'
            params[key] = value
    return name, params


class Optimizer:
    """State per parameter array, keyed by (node index, 'W' or 'b')."""

    def __init__(self, setting, weight_decay=0.0, l1=0.0):
        self.name, self.p = optimizer_settings(setting)
        self.weight_decay = weight_decay
        self.l1 = l1
        self.t = 0
        self.state = {}

    def step(self, nodes, grads, lr):
        self.t += 1
        for k, (dW, db) in grads.items():
            W, b = nodes[k]
            gW = dW
            if self.weight_decay != 0 and self.name != 'adamw':
                gW = gW + self.weight_decay * W
            if self.l1 != 0:
                gW = gW + self.l1 * np.sign(W)
            if self.name == 'adamw' and self.weight_decay != 0:
                W = W * (1 - lr * self.weight_decay)
            nodes[k][0] = self.update((k, 'W'), W, gW, lr)
            nodes[k][1] = self.update((k, 'b'), b, db, lr)

    def update(self, key, p, g, lr):
        h = self.p
        if self.name == 'sgd':
            return p - lr * g
        if self.name in ('momentum', 'nesterov'):
            v = h['beta'] * self.state.get(key, np.zeros_like(p)) + g
            self.state[key] = v
            return p - lr * v if self.name == 'momentum' else p - lr * (g + h['beta'] * v)
        if self.name == 'rmsprop':
            s = h['rho'] * self.state.get(key, np.zeros_like(p)) + (1 - h['rho']) * np.square(g)
            self.state[key] = s
            return p - lr * g / (np.sqrt(s) + h['epsilon'])
        if self.name == 'adagrad':
            s = self.state.get(key, np.zeros_like(p)) + np.square(g)
            self.state[key] = s
            return p - lr * g / (np.sqrt(s) + h['epsilon'])
        if self.name in ('adam', 'adamw'):
            m, v = self.state.get(key, (np.zeros_like(p), np.zeros_like(p)))
            m = h['beta1'] * m + (1 - h['beta1']) * g
            v = h['beta2'] * v + (1 - h['beta2']) * np.square(g)
            self.state[key] = (m, v)
            m_hat = m / (1 - h['beta1'] ** self.t)
            v_hat = v / (1 - h['beta2'] ** self.t)
            return p - lr * m_hat / (np.sqrt(v_hat) + h['epsilon'])
        raise ValueError(self.name)


def learning_rate(train, e):
    """The rate of epoch e: schedule, then warmup (e+1)/w for e < w."""
    lr, E = train['learning_rate'], train['epochs']
    schedule = train.get('schedule', 'constant')
    if isinstance(schedule, str):
        schedule = {'name': schedule}
    name = schedule['name']
    if name == 'constant':
        rate = lr
    elif name == 'step':
        rate = lr * schedule['factor'] ** (e // schedule['every'])
    elif name == 'exponential':
        rate = lr * schedule['gamma'] ** e
    elif name == 'inverse_time':
        rate = lr / (1 + schedule['decay'] * e)
    elif name == 'cosine':
        low = schedule.get('min_learning_rate', 0)
        rate = low + (lr - low) * (1 + math.cos(math.pi * e / E)) / 2
    else:
        raise ValueError(name)
    w = train.get('warmup_epochs', 0)
    return rate * (e + 1) / w if e < w else rate


def rate_varies(train):
    schedule = train.get('schedule', 'constant')
    name = schedule if isinstance(schedule, str) else schedule['name']
    return name != 'constant' or train.get('warmup_epochs', 0) > 0


# --- k classes ---------------------------------------------------------------------------------

def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def cross_entropy(Z, Y):
    """(1/m) sum_i (logsumexp(z_i) - z_{y_i, i}) for one-hot Y."""
    m = Y.shape[1]
    zmax = Z.max(axis=0)
    lse = zmax + np.log(np.sum(np.exp(Z - zmax), axis=0))
    labels = np.argmax(Y, axis=0)
    return (1 / m) * np.sum(lse - Z[labels, np.arange(m)])


def class_order(labels):
    """Distinct labels: those that read as numbers first, numerically (first spelling kept), then
    the others as text by code point (Python compares strings by code point)."""
    numeric, text = {}, set()
    for label in labels:
        try:
            value = float(label)
            if not math.isfinite(value):
                raise ValueError
            numeric.setdefault(value, label)
        except ValueError:
            text.add(label)
    return [numeric[v] for v in sorted(numeric)] + sorted(text)


def one_hot(labels, names):
    """Y (k x m) from one label per example; labels that read as the same number are one class."""
    def key(label):
        try:
            return ('n', float(label))
        except ValueError:
            return ('t', label)
    index = {key(name): c for c, name in enumerate(names)}
    Y = np.zeros((len(names), len(labels)))
    for i, label in enumerate(labels):
        Y[index[key(label)], i] = 1
    return Y


def argmax_accuracy(A, Y):
    return 100 * np.sum(np.argmax(A, axis=0) == np.argmax(Y, axis=0)) / Y.shape[1]
