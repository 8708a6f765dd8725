"""A small, independent NumPy implementation of gradgrid's training semantics (docs/experiment-format.md), used to
generate the reference curves in test/fixtures/numpy/. The TypeScript engine must agree with these
to 1e-9 relative at every recorded epoch; the tests read the generated files (engine-cases.json
lists them) and need no Python.

    python3 test/reference/numpy_reference.py   # rewrites engine-cases.json and the curves it lists

Layout as in the blog: X is (features x m), Y is (outputs x m). Per epoch: forward, cost (recorded
for that epoch), backward, update W -= lr*dW; b -= lr*db. Minibatches: consecutive slices of the
training set in its order, one step per slice; the recorded cost is the full training-set cost at
the weights the epoch starts with.
"""

import json
import math
import os

import numpy as np

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'numpy')
KERAS_EPS = 1e-7
LEAKY_SLOPE = 0.01


# --- nodes -----------------------------------------------------------------------------------

def activation_forward(name, Z):
    if name == 'sigmoid':
        return 1 / (1 + np.exp(-Z))
    if name == 'tanh':
        return np.tanh(Z)
    if name == 'relu':
        return np.maximum(0, Z)
    if name == 'leaky_relu':
        return np.where(Z > 0, Z, LEAKY_SLOPE * Z)
    if name == 'identity':
        return Z.copy()
    if name == 'softmax':  # over each example's column, its maximum taken out first
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)
    raise ValueError(name)


def activation_backward(name, dA, Z, A):
    if name == 'sigmoid':
        return dA * A * (1 - A)
    if name == 'tanh':
        return dA * (1 - A ** 2)
    if name == 'relu':
        return dA * (Z > 0)
    if name == 'leaky_relu':
        return dA * np.where(Z > 0, 1.0, LEAKY_SLOPE)
    if name == 'identity':
        return dA
    raise ValueError(name)


def init_weights(init, n_out, n_in):
    W = np.random.randn(n_out, n_in)  # always drawn, whatever the rule or explicit weights
    if init == 'plain':
        return W * 0.01
    if init == 'xavier':
        return W / np.sqrt(n_in)
    if init == 'he':
        return W * np.sqrt(2 / n_in)
    if init == 'zeros':
        return np.zeros((n_out, n_in))
    raise ValueError(init)


def build(spec, n_features):
    np.random.seed(spec['seed'])
    nodes = []
    n_in = n_features
    for node in spec['model']:
        if isinstance(node, str):
            nodes.append({'kind': 'act', 'name': node})
            continue
        n_out = node['linear']
        W = init_weights(node['init'], n_out, n_in)
        b = np.zeros((n_out, 1))
        if 'weights' in node:
            W = np.array(node['weights'], dtype=np.float64)
        if 'bias' in node:
            b = np.array(node['bias'], dtype=np.float64)
        nodes.append({'kind': 'linear', 'W': W, 'b': b})
        n_in = n_out
    return nodes


def forward(nodes, X):
    values = [X]
    for node in nodes:
        prev = values[-1]
        if node['kind'] == 'linear':
            values.append(np.dot(node['W'], prev) + node['b'])
        else:
            values.append(activation_forward(node['name'], prev))
    return values


# --- costs -----------------------------------------------------------------------------------

def stable_bce(Z, Y, m):
    return (1 / m) * np.sum(np.maximum(Z, 0) - Z * Y + np.log(1 + np.exp(-np.abs(Z))))


def cost_of(loss, values, Y):
    m = Y.shape[1]
    A = values[-1]
    if loss == 'squared_error':
        return (1 / (2 * m)) * np.sum(np.square(Y - A))
    if loss == 'bce':
        return stable_bce(values[-2], Y, m)
    if loss == 'bce_keras':
        P = np.clip(A, KERAS_EPS, 1 - KERAS_EPS)
        return stable_bce(np.log(P / (1 - P)), Y, m)
    if loss == 'cross_entropy':  # one-hot Y over the logits Z of the final softmax
        Z = values[-2]
        zmax = Z.max(axis=0)
        lse = zmax + np.log(np.sum(np.exp(Z - zmax), axis=0))
        return (1 / m) * np.sum(lse - np.sum(Z * Y, axis=0))
    raise ValueError(loss)


def backward(nodes, values, Y, loss):
    """Returns [(dW, db)] for the linear nodes, keyed by node index."""
    m = Y.shape[1]
    L = len(nodes)
    if loss == 'squared_error':
        grad = -1 / m * (Y - values[-1])
        start = L - 1
    else:
        Z, A = values[-2], values[-1]
        if loss == 'bce':
            grad = (1 / m) * (1 / (1 + np.exp(-Z)) - Y)
        elif loss == 'cross_entropy':  # fused with the final softmax: (P - Y)/m w.r.t. its input Z
            grad = (1 / m) * (A - Y)
        else:  # bce_keras: inside the clip band the chain rule reduces to (A - Y)/m; outside it is 0
            grad = (1 / m) * (A - Y) * ((A >= KERAS_EPS) & (A <= 1 - KERAS_EPS))
        start = L - 2
    first_linear = min(i for i, n in enumerate(nodes) if n['kind'] == 'linear')
    grads = {}
    for i in range(start, first_linear - 1, -1):
        node = nodes[i]
        if node['kind'] == 'linear':
            grads[i] = (np.dot(grad, values[i].T), np.sum(grad, axis=1, keepdims=True))
            grad = np.dot(node['W'].T, grad)
        else:
            grad = activation_backward(node['name'], grad, values[i], values[i + 1])
    return grads


def step(nodes, X, Y, loss, lr):
    grads = backward(nodes, forward(nodes, X), Y, loss)
    for i, (dW, db) in grads.items():
        nodes[i]['W'] = nodes[i]['W'] - lr * dW
        nodes[i]['b'] = nodes[i]['b'] - lr * db


def accuracy(nodes, X, Y):
    if not np.all((Y == 0) | (Y == 1)):
        return None
    out = forward(nodes, X)[-1]
    return float(100 * np.sum((out > 0.5) == (Y == 1)) / Y.size)


def train(spec, data):
    X, Y = np.array(data['x'], dtype=np.float64), np.array(data['y'], dtype=np.float64)
    test = data.get('test')
    if test is not None:
        Xt, Yt = np.array(test['x'], dtype=np.float64), np.array(test['y'], dtype=np.float64)
    nodes = build(spec, X.shape[0])
    t = spec['train']
    epochs, lr, k, bs = t['epochs'], t['learning_rate'], t['record_every'], t['batch_size']
    m = X.shape[1]
    max_cost = spec['divergence']['max_cost']
    rows = []
    diverged_at = None
    for e in range(epochs):
        cost = cost_of(spec['loss'], forward(nodes, X), Y)
        diverged = not (math.isfinite(cost) and cost <= max_cost)
        if e % k == 0 or e == epochs - 1 or diverged:
            test_cost = None if test is None else cost_of(spec['loss'], forward(nodes, Xt), Yt)
            rows.append((e, cost, test_cost))
        if diverged:
            diverged_at = e
            break
        if bs == 'full' or bs >= m:
            step(nodes, X, Y, spec['loss'], lr)
        else:
            for start in range(0, m, bs):
                step(nodes, X[:, start:start + bs], Y[:, start:start + bs], spec['loss'], lr)
    return {
        'rows': rows,
        'status': 'finished' if diverged_at is None else 'diverged',
        'epochsRun': epochs if diverged_at is None else diverged_at + 1,
        'divergedAtEpoch': diverged_at,
        'trainAccuracy': accuracy(nodes, X, Y),
        'testAccuracy': None if test is None else accuracy(nodes, Xt, Yt),
        'parameters': [{'weights': n['W'].tolist(), 'bias': n['b'].tolist()}
                       for n in nodes if n['kind'] == 'linear'],
    }


# --- cases -----------------------------------------------------------------------------------

XOR = {'x': [[0, 0, 1, 1], [0, 1, 0, 1]], 'y': [[0, 1, 1, 0]]}
AND = {'x': [[0, 0, 1, 1], [0, 1, 0, 1]], 'y': [[0, 0, 0, 1]]}


def blobs(seed, m, centre_distance):
    """Two Gaussian blobs in 2-D, labels alternating, rounded so they read back exactly from JSON."""
    rs = np.random.RandomState(seed)
    y = np.arange(m) % 2
    x = rs.randn(2, m) + centre_distance * (2 * y - 1)
    return {'x': np.round(x, 6).tolist(), 'y': [y.astype(float).tolist()]}


def with_test(data, n_test):
    x, y = np.array(data['x']), np.array(data['y'])
    return {'x': x[:, n_test:].tolist(), 'y': y[:, n_test:].tolist(),
            'test': {'x': x[:, :n_test].tolist(), 'y': y[:, :n_test].tolist()}}


def regression(seed, m):
    rs = np.random.RandomState(seed)
    x = np.round(rs.uniform(-1, 1, size=(2, m)), 6)
    y = np.round(0.7 * x[0] - 0.4 * x[1] + 0.25 + 0.05 * rs.randn(m), 6)
    return {'x': x.tolist(), 'y': [y.tolist()]}


def spec(model, loss='squared_error', seed=48, epochs=2000, lr=1.0, batch='full', record=1, max_cost=1e6):
    return {'seed': seed, 'model': model, 'loss': loss,
            'train': {'epochs': epochs, 'learning_rate': lr, 'batch_size': batch, 'record_every': record},
            'divergence': {'max_cost': max_cost}}


def lin(n, init='xavier', **extra):
    return {'linear': n, 'init': init, **extra}


CASES = {
    # 3 layers, tanh and relu hidden, he init
    'xor-3layer-tanh-relu-he': (
        spec([lin(4, 'he'), 'tanh', lin(3, 'he'), 'relu', lin(1, 'he'), 'sigmoid'], seed=3, epochs=3000, lr=0.5),
        XOR),
    'xor-3layer-leaky-tanh-xavier-bce': (
        spec([lin(5), 'leaky_relu', lin(3), 'tanh', lin(1), 'sigmoid'], loss='bce', seed=7, epochs=2000, lr=0.3),
        XOR),
    'xor-2layer-tanh-bce': (
        spec([lin(3), 'tanh', lin(1), 'sigmoid'], loss='bce', seed=48, epochs=3000, lr=1.0),
        XOR),
    'xor-2layer-tanh-bce-keras': (
        spec([lin(3), 'tanh', lin(1), 'sigmoid'], loss='bce_keras', seed=48, epochs=3000, lr=5.0),
        XOR),
    # lr 20 pushes every output above 1 - 1e-7: the clip passes no gradient and the cost freezes
    'xor-2layer-tanh-bce-keras-stuck': (
        spec([lin(3), 'tanh', lin(1), 'sigmoid'], loss='bce_keras', seed=48, epochs=2000, lr=20.0, record=10),
        XOR),
    # starts with output sigmoid(-30) < 1e-7 for (0,0): that example is clipped, the others learn
    'and-1layer-bce-keras-clipped-start': (
        spec([lin(1, weights=[[20, 20]], bias=[[-30]]), 'sigmoid'], loss='bce_keras', epochs=500, lr=1.0),
        AND),
    'and-2layer-leaky-plain': (
        spec([lin(2, 'plain'), 'leaky_relu', lin(1, 'plain'), 'sigmoid'], seed=1, epochs=3000, lr=2.0),
        AND),
    'and-1layer-zeros-bce': (
        spec([lin(1, 'zeros'), 'sigmoid'], loss='bce', seed=0, epochs=500, lr=1.0),
        AND),
    # explicit start for the first layer; the second layer still gets the draws that follow
    'xor-2layer-explicit-first-layer': (
        spec([lin(2, weights=[[1.5, -2.0], [0.5, 0.25]], bias=[[0.1], [-0.3]]), 'sigmoid',
              lin(1, 'xavier'), 'sigmoid'], seed=48, epochs=2000, lr=2.0),
        XOR),
    'xor-2layer-explicit-all': (
        spec([lin(2, weights=[[20, 20], [-20, -20]], bias=[[-10], [30]]), 'sigmoid',
              lin(1, 'zeros', weights=[[20, 20]], bias=[[-30]]), 'sigmoid'], seed=5, epochs=300, lr=0.1),
        XOR),
    'xor-2layer-record-every-7': (
        spec([lin(3), 'sigmoid', lin(1), 'sigmoid'], seed=48, epochs=1000, lr=1.0, record=7),
        XOR),
    'blobs-minibatch-7-tanh-bce': (
        spec([lin(5), 'tanh', lin(1), 'sigmoid'], loss='bce', seed=11, epochs=400, lr=0.2, batch=7, record=3),
        blobs(21, 24, 1.0)),
    'blobs-test-split-relu': (
        spec([lin(6, 'he'), 'relu', lin(1, 'xavier'), 'sigmoid'], seed=2, epochs=600, lr=0.5, record=10),
        with_test(blobs(5, 30, 0.8), 10)),
    'regression-identity-output': (
        spec([lin(4), 'tanh', lin(1), 'identity'], seed=9, epochs=800, lr=0.1, record=5),
        with_test(regression(4, 25), 5)),
    # divergent: a linear regression with a huge learning rate explodes past max_cost
    'regression-diverges-max-cost': (
        spec([lin(1)], seed=1, epochs=1000, lr=50.0, max_cost=1e6, record=10),
        regression(4, 25)),
    # relu network whose cost overflows to Infinity before it ever exceeds max_cost (1e308)
    'regression-diverges-infinite': (
        spec([lin(8, 'he'), 'relu', lin(8, 'he'), 'relu', lin(1, 'he')], seed=3, epochs=1000, lr=20.0,
             max_cost=1e308, record=25),
        regression(4, 25)),
}


def fmt(v):
    if v is None:
        return ''
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return repr(float(v))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    manifest = []
    with np.errstate(over='ignore', invalid='ignore', divide='ignore'):
        for name, (case_spec, data) in CASES.items():
            result = train(case_spec, data)
            has_test = 'test' in data
            with open(os.path.join(OUT_DIR, f'{name}.csv'), 'w') as f:
                f.write('epoch,cost,test_cost\n' if has_test else 'epoch,cost\n')
                for e, c, tc in result['rows']:
                    f.write(f'{e},{fmt(c)},{fmt(tc)}\n' if has_test else f'{e},{fmt(c)}\n')
            train_data = {'x': data['x'], 'y': data['y']}
            test_data = data.get('test')
            finite_params = all(math.isfinite(v) for p in result['parameters']
                                for rows in (p['weights'], p['bias']) for row in rows for v in row)
            manifest.append({
                'name': name,
                'curve': f'{name}.csv',
                'spec': case_spec,
                'data': {'train': train_data, 'test': test_data},
                'expected': {
                    'status': result['status'],
                    'epochsRun': result['epochsRun'],
                    'divergedAtEpoch': result['divergedAtEpoch'],
                    'trainAccuracy': result['trainAccuracy'],
                    'testAccuracy': result['testAccuracy'],
                    'parameters': result['parameters'] if finite_params else None,
                },
            })
            print(f"{name}: {result['status']} after {result['epochsRun']} epochs, "
                  f"last cost {fmt(result['rows'][-1][1])}, accuracy {result['trainAccuracy']}")
    with open(os.path.join(OUT_DIR, 'engine-cases.json'), 'w') as f:
        json.dump({'generator': 'test/reference/numpy_reference.py', 'numpy': np.__version__,
                   'cases': manifest}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
