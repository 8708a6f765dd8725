"""NumPy reference for whole experiment files, run end to end through gradgrid's command line.

test/cli/numpy-experiments.test.ts writes experiment files (some copies of the examples in
experiments/), sweeps them with the built CLI and compares every recorded epoch of curves.csv, and
the final accuracies and epoch counts of summary.csv, with the files this script writes:

    test/fixtures/numpy/experiments/<case>.curves.csv    run, <sweep keys>, epoch, cost[, test_cost]
    test/fixtures/numpy/experiments/<case>.summary.csv   run, <sweep keys>, status, epochs,
                                                         train_accuracy, test_accuracy

    python3 test/reference/numpy_experiments.py

This is a second, plain NumPy implementation of the training semantics in docs/experiment-format.md, written apart from the
engine and from test/reference/numpy_reference.py. Each case below mirrors an experiment file: the
same nested settings (seed, dataset, model, loss, train, divergence) and the same sweep, expanded
here as a Cartesian product in the order written (first key slowest). The data is built here too:
the gates inline, iris from the table in iris_shuffle.py, CSV files read as text. The training
dynamics (optimizers, schedules, warmup, penalties, softmax and cross-entropy over k classes) are
in numpy_dynamics.py; minibatches and the per-epoch reshuffling are here, in run().

Every run is also trained with the examples of every step in reverse order (the same training,
rounded differently); a run whose curve then moves by more than SENSITIVITY_LIMIT is refused,
because near the edge of stability rounding noise grows until no two implementations agree to 1e-9.
The cases of test/cli/numpy-dynamics.test.ts are in DYNAMICS_CASES; their fixtures get a
learning_rate column when a run's rate varies.
"""

import copy
import csv
import itertools
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'numpy', 'experiments')
sys.path.insert(0, HERE)
import generators as generator_reference  # noqa: E402  (the 2-D generators, redrawn with NumPy)
import iris_shuffle  # noqa: E402  (the iris table, transcribed from R's datasets)
import numpy_dynamics as dyn  # noqa: E402

# A run whose curve moves by more than this when only the rounding changes (the examples summed in
# reverse order) is too ill-conditioned for a 1e-9 comparison: refused rather than written.
SENSITIVITY_LIMIT = 1e-11
CLIP = 1e-7          # bce_keras probability band [CLIP, 1 - CLIP]
LEAKY = 0.01         # leaky_relu slope for z <= 0

# --- data --------------------------------------------------------------------------------------

GATE_INPUTS = [[0, 0, 1, 1], [0, 1, 0, 1]]
GATE_TARGETS = {
    'and': [0, 0, 0, 1], 'or': [0, 1, 1, 1], 'xor': [0, 1, 1, 0],
    'nand': [1, 1, 1, 0], 'nor': [1, 0, 0, 0], 'xnor': [1, 0, 0, 1],
}
IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']
IRIS_CLASSES = ['setosa', 'versicolor', 'virginica']


def csv_path(name):
    """A CSV named in an experiment: from experiments/, else from test/fixtures/ (test-only data)."""
    for folder in (os.path.join(ROOT, 'experiments'), os.path.join(ROOT, 'test', 'fixtures')):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(name)


def load_source(ds, classes=False):
    """(X features x m, Y, class names or None) before crosses, shuffle and split. Y is 1 x m, or
    one-hot k x m with classes=True (a loss over one output per class)."""
    if ds.get('builtin') in GATE_TARGETS:
        X = np.array(GATE_INPUTS, dtype=float)
        targets = GATE_TARGETS[ds['builtin']]
        if classes:
            labels = [str(t) for t in targets]
            names = dyn.class_order(labels)
            return X, dyn.one_hot(labels, names), names
        return X, np.array([targets], dtype=float), None
    if ds.get('builtin') in generator_reference.GENERATORS:
        rs = np.random.RandomState(ds.get('seed', 0))
        points = generator_reference.GENERATORS[ds['builtin']](rs, ds.get('samples', 200), ds.get('noise', 0.1))
        X = np.array([[p[0] for p in points], [p[1] for p in points]])
        targets = [p[2] for p in points]
        if classes:
            labels = [str(t) for t in targets]
            names = dyn.class_order(labels)
            return X, dyn.one_hot(labels, names), names
        return X, np.array([targets], dtype=float), None
    if ds.get('builtin') == 'iris':
        table = {'sepal_length': iris_shuffle.SEPAL_LENGTH, 'sepal_width': iris_shuffle.SEPAL_WIDTH,
                 'petal_length': iris_shuffle.PETAL_LENGTH, 'petal_width': iris_shuffle.PETAL_WIDTH}
        X = np.array([table[name] for name in ds.get('features', IRIS_FEATURES)], dtype=float)
        classes_of = np.repeat([0, 1, 2], 50)
        if classes:
            return X, np.eye(3)[:, classes_of], list(IRIS_CLASSES)
        if 'positive' in ds:
            Y = (classes_of == IRIS_CLASSES.index(ds['positive'])).astype(float)
        else:
            Y = classes_of.astype(float)
        return X, Y.reshape(1, -1), None
    if 'csv' in ds:
        with open(csv_path(ds['csv']), newline='') as f:
            rows = [[cell.strip() for cell in row] for row in csv.reader(f) if row]
        header, body = rows[0], rows[1:]
        target = ds.get('target', header[-1])
        features = ds.get('features', [name for name in header if name != target])
        X = np.array([[float(row[header.index(name)]) for row in body] for name in features])
        labels = [row[header.index(target)] for row in body]
        if classes:
            names = dyn.class_order(labels)
            return X, dyn.one_hot(labels, names), names
        return X, np.array([[float(label) for label in labels]]), None
    raise ValueError(f'no reference data for {ds}')


def prepare(ds, classes=False):
    """Returns (X, Y, X_test, Y_test, class names); the test pair is None without a split."""
    X, Y, names = load_source(ds, classes)
    for cross in ds.get('feature_crosses', []):
        X = np.vstack([X, np.prod(X[cross, :], axis=0, keepdims=True)])
    if 'shuffle' in ds:
        np.random.seed(ds['shuffle'])
        p = np.random.permutation(X.shape[1])
        X, Y = X[:, p], Y[:, p]
    if 'test_fraction' not in ds:
        return X, Y, None, None, names
    m = X.shape[1]
    t = int(math.floor(m * ds['test_fraction'] + 0.5))  # round, halves up (docs/datasets.md)
    return X[:, :m - t], Y[:, :m - t], X[:, m - t:], Y[:, m - t:], names


# --- network -----------------------------------------------------------------------------------

def act(name, Z):
    if name == 'sigmoid':
        return 1 / (1 + np.exp(-Z))
    if name == 'tanh':
        return np.tanh(Z)
    if name == 'relu':
        return np.maximum(0, Z)
    if name == 'leaky_relu':
        return np.where(Z > 0, Z, LEAKY * Z)
    if name == 'identity':
        return Z
    if name == 'softmax':
        return dyn.softmax(Z)
    raise ValueError(name)


def act_grad(name, dA, Z, A):
    if name == 'sigmoid':
        return dA * A * (1 - A)
    if name == 'tanh':
        return dA * (1 - np.square(A))
    if name == 'relu':
        return dA * (Z > 0)
    if name == 'leaky_relu':
        return dA * np.where(Z > 0, 1.0, LEAKY)
    if name == 'identity':
        return dA
    raise ValueError(name)


def scaled(init, draw, n_in):
    if init == 'plain':
        return draw * 0.01
    if init == 'xavier':
        return draw / np.sqrt(n_in)
    if init == 'he':
        return draw * np.sqrt(2 / n_in)
    if init == 'zeros':
        return np.zeros_like(draw)
    raise ValueError(init)


def initialise(model, seed, n_features):
    """Linear layers as [W, b] pairs, activations as names, in model order."""
    np.random.seed(seed)
    nodes, n_in = [], n_features
    for node in model:
        if isinstance(node, str):
            nodes.append(node)
            continue
        n_out = node['linear']
        draw = np.random.randn(n_out, n_in)  # drawn even when replaced, so later layers keep theirs
        W = scaled(node.get('init', 'xavier'), draw, n_in)
        b = np.zeros((n_out, 1))
        if 'weights' in node:
            W = np.array(node['weights'], dtype=float)
        if 'bias' in node:
            b = np.array(node['bias'], dtype=float)
        nodes.append([W, b])
        n_in = n_out
    return nodes


def forward(nodes, X):
    """Inputs of every node, then the output: cache[i] is node i's input."""
    cache = [X]
    for node in nodes:
        if isinstance(node, str):
            cache.append(act(node, cache[-1]))
        else:
            W, b = node
            cache.append(np.dot(W, cache[-1]) + b)
    return cache


def bce_on_logits(Z, Y):
    m = Y.shape[1]
    return (1 / m) * np.sum(np.maximum(Z, 0) - Z * Y + np.log(1 + np.exp(-np.abs(Z))))


def cost(loss, cache, Y):
    m = Y.shape[1]
    if loss == 'squared_error':
        return (1 / (2 * m)) * np.sum(np.square(Y - cache[-1]))
    if loss == 'bce':
        return bce_on_logits(cache[-2], Y)
    if loss == 'bce_keras':
        P = np.clip(cache[-1], CLIP, 1 - CLIP)
        return bce_on_logits(np.log(P / (1 - P)), Y)
    if loss == 'cross_entropy':
        return dyn.cross_entropy(cache[-2], Y)
    raise ValueError(loss)


def gradients(nodes, cache, Y, loss):
    """{node index: (dW, db)} by backpropagation: local gradient times upstream gradient."""
    m = Y.shape[1]
    last = len(nodes) - 1
    if loss == 'squared_error':
        upstream, i = -(1 / m) * (Y - cache[-1]), last
    elif loss == 'bce':  # fused with the final sigmoid: gradient w.r.t. its input Z
        upstream, i = (1 / m) * (1 / (1 + np.exp(-cache[-2])) - Y), last - 1
    elif loss == 'bce_keras':  # inside the band (bounds included) as bce; the clip stops it outside
        A = cache[-1]
        inside = (A >= CLIP) & (A <= 1 - CLIP)
        upstream, i = (1 / m) * (A - Y) * inside, last - 1
    elif loss == 'cross_entropy':  # fused with the final softmax: gradient w.r.t. its input Z
        upstream, i = (1 / m) * (cache[-1] - Y), last - 1
    else:
        raise ValueError(loss)
    grads = {}
    for k in range(i, -1, -1):
        node = nodes[k]
        if isinstance(node, str):
            upstream = act_grad(node, upstream, cache[k], cache[k + 1])
        else:
            W, _ = node
            grads[k] = (np.dot(upstream, cache[k].T), np.sum(upstream, axis=1, keepdims=True))
            if k > 0:
                upstream = np.dot(W.T, upstream)
    return grads


def accuracy(nodes, X, Y):
    if not np.all((Y == 0) | (Y == 1)):
        return None
    if Y.shape[0] > 1:
        if not np.all(Y.sum(axis=0) == 1):
            return None
        return dyn.argmax_accuracy(forward(nodes, X)[-1], Y)
    predicted = forward(nodes, X)[-1] > 0.5
    return 100 * np.sum(predicted == (Y == 1)) / Y.size


def run(exp, reverse=False):
    """One resolved experiment -> (rows of (epoch, cost, test_cost, learning_rate), summary dict).

    reverse=True reverses the examples of every step and of every cost: the same training in exact
    arithmetic, with every sum over examples rounded differently (see rounding_sensitivity)."""
    loss = exp['loss']
    X, Y, Xt, Yt, _ = prepare(exp['dataset'], classes=(loss == 'cross_entropy'))
    flip = (lambda A: A[:, ::-1]) if reverse else (lambda A: A)
    Xc, Yc = flip(X), flip(Y)
    Xtc, Ytc = (None, None) if Xt is None else (flip(Xt), flip(Yt))
    nodes = initialise(exp['model'], exp.get('seed', 0), X.shape[0])
    tr = exp['train']
    epochs, every = tr['epochs'], tr.get('record_every', 1)
    max_cost = exp.get('divergence', {}).get('max_cost', 1e6)
    m = X.shape[1]
    batch = tr.get('batch_size', 'full')
    batch = m if batch == 'full' or batch >= m else batch
    shuffle = tr.get('shuffle', False)
    gen = np.random.RandomState(tr.get('shuffle_seed', exp.get('seed', 0))) if shuffle else None
    optimizer = dyn.Optimizer(tr.get('optimizer'), tr.get('weight_decay', 0), tr.get('l1', 0))
    rows, stopped, clipped = [], None, 0
    for e in range(epochs):
        lr = dyn.learning_rate(tr, e)
        cache = forward(nodes, Xc)
        clipped += bool(np.any((cache[-1] < CLIP) | (cache[-1] > 1 - CLIP)))
        c = float(cost(loss, cache, Yc))
        diverged = not (math.isfinite(c) and c <= max_cost)
        if e % every == 0 or e == epochs - 1 or diverged:
            tc = None if Xt is None else float(cost(loss, forward(nodes, Xtc), Ytc))
            rows.append((e, c, tc, lr))
        if diverged:
            stopped = e
            break
        if batch == m and not shuffle:  # full batch: the gradient of the pass that gave the cost
            optimizer.step(nodes, gradients(nodes, cache, Yc, loss), lr)
            continue
        order = gen.permutation(m) if shuffle else np.arange(m)
        for start in range(0, m, batch):
            idx = order[start:start + batch]
            if reverse:
                idx = idx[::-1]
            Xb, Yb = X[:, idx], Y[:, idx]
            optimizer.step(nodes, gradients(nodes, forward(nodes, Xb), Yb, loss), lr)
    summary = {
        'status': 'finished' if stopped is None else 'diverged',
        'epochs': epochs if stopped is None else stopped + 1,
        'train_accuracy': accuracy(nodes, X, Y),
        'test_accuracy': None if Xt is None else accuracy(nodes, Xt, Yt),
        'clipped_epochs': clipped,  # epochs with an output outside bce_keras' band (a note only)
    }
    return rows, summary


# --- sweeps ------------------------------------------------------------------------------------

def set_path(exp, path, value):
    keys = path.split('.')
    target = exp
    for key in keys[:-1]:
        parent, target = target, target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, str):  # `optimizer: adam` swept at train.optimizer.beta1
            target = parent[key] = {'name': target}
    last = keys[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def grid(exp, sweep):
    """[(labels, resolved experiment)] in grid order; a dict of values is a `named` axis."""
    axes = [(key, list(values.items()) if isinstance(values, dict) else [(v, v) for v in values])
            for key, values in sweep]
    out = []
    for point in itertools.product(*[choices for _, choices in axes]):
        resolved = copy.deepcopy(exp)
        for (key, _), (_, value) in zip(axes, point):
            set_path(resolved, key, copy.deepcopy(value))
        out.append(([label for label, _ in point], resolved))
    return out


# --- the cases (each mirrors one experiment file of the test) --------------------------------

def lin(n, init='xavier', **explicit):
    return {'linear': n, 'init': init, **explicit}


CASES = {
    # like experiments/iris-petals.yaml, at rates where training is well-conditioned: from about 0.07
    # on, the run reaches the edge of stability, where rounding differences grow tenfold every few
    # epochs and no two implementations (not even NumPy with its sums reordered) agree to 1e-9
    'iris-petals': ({
        'seed': 48,
        'dataset': {'builtin': 'iris', 'features': ['petal_length', 'petal_width'], 'positive': 'virginica',
                    'shuffle': 48, 'test_fraction': 0.2},
        'model': [lin(4), 'tanh', lin(1), 'sigmoid'],
        'loss': 'bce',
        'train': {'epochs': 3000, 'learning_rate': 0.1},
    }, [('train.learning_rate', [0.01, 0.03, 0.05])]),

    # experiments/xor-featcross.yaml
    'xor-featcross': ({
        'seed': 48,
        'dataset': {'builtin': 'xor', 'feature_crosses': [[0, 1]]},
        'model': [lin(1), 'sigmoid'],
        'loss': 'bce',
        'train': {'epochs': 5000, 'learning_rate': 1},
    }, [('train.learning_rate', [0.1, 1, 5])]),

    # experiments/xor-depth.yaml: 1, 2 and 3 layers, squared error
    'xor-depth': ({
        'seed': 48,
        'dataset': {'builtin': 'xor'},
        'model': [lin(1), 'sigmoid'],
        'loss': 'squared_error',
        'train': {'epochs': 5000, 'learning_rate': 1},
    }, [('model', {
        '1-layer': [lin(1), 'sigmoid'],
        '2-layer': [lin(3), 'sigmoid', lin(1), 'sigmoid'],
        '3-layer': [lin(3), 'sigmoid', lin(3), 'sigmoid', lin(1), 'sigmoid'],
    }), ('train.learning_rate', [0.5, 2])]),

    # experiments/houses-regression.yaml: rates on both sides of 2/lambda_max
    'houses-regression': ({
        'seed': 0,
        'dataset': {'csv': 'data/houses.csv', 'features': ['size', 'age'], 'target': 'price'},
        'model': [lin(1, 'zeros'), 'identity'],
        'loss': 'squared_error',
        'train': {'epochs': 1000, 'learning_rate': 0.1},
    }, [('train.learning_rate', [0.02, 0.1, 0.2, 0.21, 0.22, 0.25, 0.3])]),

    # houses again, far past the limit, with the largest max_cost the schema allows (1e300): at lr 3
    # the run stops on a finite cost above it, at lr 300 the cost jumps from 8e299 straight to
    # Infinity (the sum of squares overflows). record_every 10, and both stop epochs (107, 45) are
    # recorded although they are no multiples of 10.
    'houses-overflow': ({
        'seed': 0,
        'dataset': {'csv': 'data/houses.csv', 'features': ['size', 'age'], 'target': 'price'},
        'model': [lin(1, 'he'), 'identity'],
        'loss': 'squared_error',
        'train': {'epochs': 2000, 'learning_rate': 1, 'record_every': 10},
        'divergence': {'max_cost': 1e300},
    }, [('train.learning_rate', [3, 300])]),

    # bce_keras with large steps, so outputs leave the clip band: at lr 20 the single unit keeps
    # learning while some examples are clipped (no gradient from them), the tanh network saturates
    # every output and freezes at the clipped cost; lr 3 never reaches the clip
    'gate-bce-keras': ({
        'seed': 3,
        'dataset': {'builtin': 'nand'},
        'model': [lin(1), 'sigmoid'],
        'loss': 'bce_keras',
        'train': {'epochs': 600, 'learning_rate': 1},
    }, [('model', {
        '1-layer': [lin(1), 'sigmoid'],
        '2-layer': [lin(3), 'tanh', lin(1), 'sigmoid'],
    }), ('train.learning_rate', [3, 20])]),

    # he and plain init, relu and leaky_relu hidden layers, on OR and AND
    'gates-relu-init': ({
        'seed': 5,
        'dataset': {'builtin': 'or'},
        'model': [lin(4, 'he'), 'relu', lin(1, 'he'), 'sigmoid'],
        'loss': 'squared_error',
        'train': {'epochs': 1500, 'learning_rate': 2},
    }, [('dataset.builtin', ['or', 'and']), ('model.0.init', ['he', 'plain']),
        ('model.1', ['relu', 'leaky_relu'])]),

    # explicit starting weights in a 2-layer XOR network: the first layer, or only the second
    'xor-explicit-weights': ({
        'seed': 48,
        'dataset': {'builtin': 'xor'},
        'model': [lin(2), 'sigmoid', lin(1), 'sigmoid'],
        'loss': 'squared_error',
        'train': {'epochs': 2000, 'learning_rate': 1},
    }, [('model', {
        'first': [lin(2, weights=[[1.5, -2.0], [-0.5, 2.5]], bias=[[0.25], [-0.75]]), 'sigmoid',
                  lin(1), 'sigmoid'],
        'second': [lin(2, 'he'), 'sigmoid', lin(1, weights=[[3.0, -2.0]], bias=[[0.5]]), 'sigmoid'],
    }), ('train.learning_rate', [1, 4])]),

    # record_every 7 over 703 epochs (the last epoch, 702, is recorded too), with a test split of
    # round(150 * 0.25) = 38 (a half, rounded up), all four iris features, versicolor or not
    'iris-record-every': ({
        'seed': 11,
        'dataset': {'builtin': 'iris', 'positive': 'versicolor', 'shuffle': 7, 'test_fraction': 0.25},
        'model': [lin(5), 'sigmoid', lin(1), 'sigmoid'],
        'loss': 'squared_error',
        'train': {'epochs': 703, 'learning_rate': 0.5, 'record_every': 7},
    }, [('seed', [11, 12])]),
}


# The cases of test/cli/numpy-dynamics.test.ts: optimizers, schedules, penalties, reshuffled
# minibatches and softmax over k classes. The optimizer cases share a 2-hidden-layer tanh network on
# XOR, where every optimizer trains well-conditioned (on raw iris features saturated tanh units
# make the adaptive optimizers amplify rounding noise past 1e-9).
XOR_2HIDDEN = {
    'seed': 4,
    'dataset': {'builtin': 'xor'},
    'model': [lin(4), 'tanh', lin(3), 'tanh', lin(1), 'sigmoid'],
    'loss': 'bce',
    'train': {'epochs': 300, 'learning_rate': 0.01},
}


def xor_2hidden(**train):
    exp = copy.deepcopy(XOR_2HIDDEN)
    exp['train'].update(train)
    return exp


def gaussians_2hidden(**train):
    return {
        'seed': 6,
        'dataset': {'builtin': 'gaussians', 'samples': 120, 'noise': 0.1, 'seed': 3},
        'model': [lin(5), 'tanh', lin(3), 'tanh', lin(1), 'sigmoid'],
        'loss': 'bce',
        'train': {'epochs': 120, 'learning_rate': 0.01, **train},
    }


DYNAMICS_CASES = {
    # every optimizer by name, at two rates
    'optimizers': (xor_2hidden(), [
        ('train.optimizer', ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adagrad', 'adam', 'adamw']),
        ('train.learning_rate', [0.01, 0.03])]),

    # single fields swept inside `optimizer: adam`, and every other field through named values
    'optimizer-fields': (xor_2hidden(optimizer='adam'), [
        ('train.optimizer.beta1', [0.8, 0.95]), ('train.optimizer.beta2', [0.99, 0.999])]),
    'optimizer-settings': (xor_2hidden(), [('train.optimizer', {
        'heavy-ball': {'name': 'momentum', 'beta': 0.99},
        'nag-half': {'name': 'nesterov', 'beta': 0.5},
        'rms-fast': {'name': 'rmsprop', 'rho': 0.9, 'epsilon': 1e-6},
        'adagrad-eps': {'name': 'adagrad', 'epsilon': 1e-3},
        'adam-eps': {'name': 'adam', 'epsilon': 0.01},
    })]),

    # every schedule, with and without warmup, on the blog's XOR network at a large rate
    'schedules': ({
        'seed': 48,
        'dataset': {'builtin': 'xor'},
        'model': [lin(3), 'sigmoid', lin(1), 'sigmoid'],
        'loss': 'squared_error',
        'train': {'epochs': 1000, 'learning_rate': 4},
    }, [('train.schedule', {
        'constant': 'constant',
        'step': {'name': 'step', 'every': 100, 'factor': 0.5},
        'exponential': {'name': 'exponential', 'gamma': 0.998},
        'inverse-time': {'name': 'inverse_time', 'decay': 0.01},
        'cosine': {'name': 'cosine', 'min_learning_rate': 0.5},
    }), ('train.warmup_epochs', [0, 50])]),

    # weight decay and l1 on the weights, with sgd and with adamw
    'penalties': (xor_2hidden(learning_rate=0.03), [
        ('train.optimizer', ['sgd', 'adamw']), ('train.weight_decay', [0, 0.01]), ('train.l1', [0, 0.001])]),

    # minibatches drawn from a new permutation every epoch (generator seeded by `seed`), with sgd and
    # adam (whose t counts minibatch steps); full batch reshuffled too
    'shuffled-minibatches': (gaussians_2hidden(shuffle=True, record_every=3), [
        ('train.batch_size', [16, 50, 'full']), ('train.optimizer', ['sgd', 'adam'])]),

    # a seed of its own, a test split, warmup into a cosine decay, momentum
    'shuffle-seed': ({
        **gaussians_2hidden(batch_size=24, shuffle=True, optimizer='momentum', schedule='cosine', warmup_epochs=10),
        'dataset': {'builtin': 'gaussians', 'samples': 120, 'noise': 0.1, 'seed': 3, 'shuffle': 5, 'test_fraction': 0.2},
    }, [('train.shuffle_seed', [9, 10])]),

    # three iris classes: softmax + cross_entropy, one-hot targets in the order setosa, versicolor,
    # virginica, argmax accuracy on a held-out split
    'iris-softmax': ({
        'seed': 7,
        'dataset': {'builtin': 'iris', 'shuffle': 48, 'test_fraction': 0.2},
        'model': [lin(8, 'plain'), 'tanh', lin(3), 'softmax'],
        'loss': 'cross_entropy',
        'train': {'epochs': 400, 'learning_rate': 0.01},
    }, [('train.optimizer', ['sgd', 'adam']), ('train.learning_rate', [0.003, 0.01])]),

    # a CSV whose target holds text labels (classes ordered by code point: Green, blue, été)
    'csv-text-labels': ({
        'seed': 2,
        'dataset': {'csv': 'data/colours.csv'},
        'model': [lin(6), 'tanh', lin(3), 'softmax'],
        'loss': 'cross_entropy',
        'train': {'epochs': 300, 'learning_rate': 0.3},
    }, [('train.optimizer', ['sgd', 'rmsprop']), ('train.learning_rate', [0.01, 0.1])]),
}


# --- files -------------------------------------------------------------------------------------

def number(v):
    """Shortest text that reads back to the same double (as the CLI writes numbers)."""
    if v is None:
        return ''
    if isinstance(v, str):
        return v
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    return repr(v)


def rounding_sensitivity(rows, reordered):
    """Largest relative difference between two curves of the same training."""
    if [r[0] for r in rows] != [r[0] for r in reordered]:
        return math.inf
    worst = 0.0
    for a, b in zip(rows, reordered):
        for x, y in zip(a[1:], b[1:]):
            if x is None or x == y:  # equal, including two Infinities
                continue
            worst = max(worst, abs(x - y) / abs(x) if math.isfinite(x) and x != 0 else math.inf)
    return worst


def write_case(name, exp, sweep):
    keys = [key for key, _ in sweep]
    points = grid(exp, sweep)
    has_test = 'test_fraction' in exp['dataset']
    has_rate = any(dyn.rate_varies(resolved['train']) for _, resolved in points)
    curves = ['run,' + ','.join(keys) + ',epoch,cost' + (',test_cost' if has_test else '')
              + (',learning_rate' if has_rate else '')]
    summary = ['run,' + ','.join(keys) + ',status,epochs,train_accuracy,test_accuracy']
    notes = []
    for index, (labels, resolved) in enumerate(points, start=1):
        rows, s = run(resolved)
        sensitivity = rounding_sensitivity(rows, run(resolved, reverse=True)[0])
        if not sensitivity <= SENSITIVITY_LIMIT:
            raise SystemExit(f'{name} run {index} {labels}: reordering the sums moves the curve by '
                             f'{sensitivity:.1e} relative; pick settings whose training is well-conditioned')
        params = ','.join(number(label) for label in labels)
        for e, c, tc, lr in rows:
            curves.append(f'{index},{params},{e},{number(c)}' + (f',{number(tc)}' if has_test else '')
                          + (f',{number(lr)}' if has_rate else ''))
        summary.append(f"{index},{params},{s['status']},{s['epochs']},"
                       f"{number(s['train_accuracy'])},{number(s['test_accuracy'])}")
        notes.append(f"  run {index} {labels}: {s['status']} after {s['epochs']} epochs, "
                     f"rounding sensitivity {sensitivity:.1e}, "
                     f"cost {number(rows[-1][1])}, accuracy {number(s['train_accuracy'])}"
                     f"/{number(s['test_accuracy'])}"
                     + (f", {s['clipped_epochs']} epochs with clipped outputs" if exp['loss'] == 'bce_keras' else ''))
    for suffix, lines in (('curves', curves), ('summary', summary)):
        with open(os.path.join(OUT_DIR, f'{name}.{suffix}.csv'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
    print(name)
    print('\n'.join(notes))


def main():
    """Writes every case's fixtures, or only those named on the command line."""
    os.makedirs(OUT_DIR, exist_ok=True)
    wanted = set(sys.argv[1:])
    with np.errstate(over='ignore', invalid='ignore'):
        for name, (exp, sweep) in {**CASES, **DYNAMICS_CASES}.items():
            if not wanted or name in wanted:
                write_case(name, exp, sweep)


if __name__ == '__main__':
    main()
