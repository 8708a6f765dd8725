"""NumPy reference for sharpness: the largest eigenvalue of the Hessian of the training loss with
respect to every weight and bias, at several epochs of a training run. The TypeScript engine
(Hessian-vector products by the R-operator, then Lanczos) must agree with these to 1e-5 relative;
test/nn/sharpness.test.ts reads the fixtures in test/fixtures/numpy/ and needs no Python:
hessian-cases.json (sigmoid networks) and hessian-softmax-cases.json (softmax + cross_entropy).

    python3 test/reference/hessian_reference.py                            # rewrites both
    python3 test/reference/hessian_reference.py hessian-softmax-cases.json  # only the one named

The Hessian is built column by column from the analytic gradient of numpy_reference.py (the
independent NumPy implementation of the training semantics): column j is the fourth-order central
difference of the gradient along parameter j,
    H[:, j] ~ (8 (g(p + h e_j) - g(p - h e_j)) - (g(p + 2h e_j) - g(p - 2h e_j))) / (12 h),
then symmetrised, (H + Hᵀ)/2, and numpy.linalg.eigvalsh gives its eigenvalues. The parameters are
flattened layer by layer, W row by row and then b (the order does not change the eigenvalues).
Training between the epochs is numpy_reference.py's own step: epoch e's sharpness is taken with
the weights whose cost is recorded for e, before that epoch's update.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import numpy_reference as ref  # noqa: E402

OUT_DIR = os.path.join(HERE, '..', 'fixtures', 'numpy')
STEP = 1e-4


def linear_nodes(nodes):
    return [n for n in nodes if n['kind'] == 'linear']


def get_params(nodes):
    return np.concatenate([np.concatenate([n['W'].ravel(), n['b'].ravel()]) for n in linear_nodes(nodes)])


def set_params(nodes, flat):
    at = 0
    for n in linear_nodes(nodes):
        w, b = n['W'].size, n['b'].size
        n['W'] = flat[at:at + w].reshape(n['W'].shape).copy()
        at += w
        n['b'] = flat[at:at + b].reshape(n['b'].shape).copy()
        at += b


def gradient(nodes, X, Y, loss):
    grads = ref.backward(nodes, ref.forward(nodes, X), Y, loss)
    index = [i for i, n in enumerate(nodes) if n['kind'] == 'linear']
    return np.concatenate([np.concatenate([grads[i][0].ravel(), grads[i][1].ravel()]) for i in index])


def hessian(nodes, X, Y, loss):
    p = get_params(nodes)
    n = p.size
    H = np.zeros((n, n))

    def g_at(q):
        set_params(nodes, q)
        return gradient(nodes, X, Y, loss)

    for j in range(n):
        e = np.zeros(n)
        e[j] = STEP
        near = g_at(p + e) - g_at(p - e)
        far = g_at(p + 2 * e) - g_at(p - 2 * e)
        H[:, j] = (8 * near - far) / (12 * STEP)
    set_params(nodes, p)
    return (H + H.T) / 2


def linear_softmax_hessian(nodes, X):
    """The exact Hessian of cross_entropy for a model of one linear layer and softmax (multinomial
    logistic regression), in closed form: with x~ = (x, 1) and p the softmax of each example,
        H[(c, j), (d, l)] = (1/m) sum_i (delta_cd p_ci - p_ci p_di) x~_ji x~_li,
    parameters ordered class by class, each class's weights then its bias (the eigenvalues do not
    depend on the order)."""
    W, b = nodes[0]['W'], nodes[0]['b']
    m = X.shape[1]
    P = ref.activation_forward('softmax', np.dot(W, X) + b)
    Xt = np.vstack([X, np.ones((1, m))])
    k, n = P.shape[0], Xt.shape[0]
    H = np.zeros((k * n, k * n))
    for i in range(m):
        p = P[:, i]
        H += np.kron(np.diag(p) - np.outer(p, p), np.outer(Xt[:, i], Xt[:, i]))
    return H / m


def sharpness_curve(spec, data, epochs, exact=None):
    X, Y = np.array(data['x'], dtype=np.float64), np.array(data['y'], dtype=np.float64)
    nodes = ref.build(spec, X.shape[0])
    lr = spec['train']['learning_rate']
    out = []
    for e in range(max(epochs) + 1):
        if e in epochs:
            eigenvalues = np.linalg.eigvalsh(hessian(nodes, X, Y, spec['loss']))
            point = {'epoch': e, 'sharpness': float(eigenvalues[-1]),
                     'smallest': float(eigenvalues[0]), 'parameters': int(eigenvalues.size)}
            if exact is not None:
                # A closed-form Hessian where there is one: the differences must agree with it.
                point['exact_sharpness'] = float(np.linalg.eigvalsh(exact(nodes, X))[-1])
                assert abs(point['exact_sharpness'] - point['sharpness']) <= 1e-8 * point['sharpness'], point
            out.append(point)
        ref.step(nodes, X, Y, spec['loss'], lr)
    return out


def lin(n, init='xavier'):
    return {'linear': n, 'init': init}


def classes3(seed, per_class, spread):
    """Three Gaussian clusters in 2-D around the corners of a triangle, classes in turn, one-hot
    targets; rounded so they read back exactly from JSON."""
    rs = np.random.RandomState(seed)
    m = 3 * per_class
    labels = np.arange(m) % 3
    centres = np.array([[0.0, 1.0], [-0.87, -0.5], [0.87, -0.5]]).T
    x = np.round(centres[:, labels] + spread * rs.randn(2, m), 6)
    y = np.zeros((3, m))
    y[labels, np.arange(m)] = 1
    return {'x': x.tolist(), 'y': y.tolist()}


SIGMOID_CASES = {
    # The blog's XOR network with a large step: the sharpness rises, then falls as the output saturates.
    'xor-2layer-sigmoid': (
        ref.spec([lin(3), 'sigmoid', lin(1), 'sigmoid'], seed=48, epochs=2001, lr=10.0),
        ref.XOR, [0, 50, 100, 250, 500, 1000, 2000]),
    # Two sigmoid hidden layers on 24 points, cross-entropy.
    'blobs-3layer-sigmoid-bce': (
        ref.spec([lin(4), 'sigmoid', lin(3), 'sigmoid', lin(1), 'sigmoid'], loss='bce', seed=5, epochs=601, lr=2.0),
        ref.blobs(21, 24, 1.0), [0, 20, 100, 300, 600]),
}

SOFTMAX_CASES = {
    # Three classes through a tanh hidden layer: the outputs sharpen as the classes separate.
    'classes3-tanh-softmax': (
        ref.spec([lin(5), 'tanh', lin(3), 'softmax'], loss='cross_entropy', seed=3, epochs=401, lr=1.0),
        classes3(11, 8, 0.45), [0, 10, 50, 150, 400]),
    # Two sigmoid hidden layers into the softmax, a large step.
    'classes3-2layer-sigmoid-softmax': (
        ref.spec([lin(4), 'sigmoid', lin(4), 'sigmoid', lin(3), 'softmax'], loss='cross_entropy', seed=8, epochs=301, lr=3.0),
        classes3(12, 6, 0.6), [0, 25, 100, 300]),
    # No hidden layer (multinomial logistic regression): a convex cost, whose Hessian is positive
    # semidefinite, with a null space (adding the same to every class's logit changes nothing).
    'classes3-linear-softmax': (
        ref.spec([lin(3), 'softmax'], loss='cross_entropy', seed=2, epochs=201, lr=0.5),
        classes3(13, 10, 0.5), [0, 50, 200], linear_softmax_hessian),
}

FIXTURES = {
    'hessian-cases.json': SIGMOID_CASES,
    'hessian-softmax-cases.json': SOFTMAX_CASES,
}


def write_fixture(file, cases_by_name):
    cases = []
    for name, (spec, data, epochs, *exact) in cases_by_name.items():
        curve = sharpness_curve(spec, data, epochs, *exact)
        cases.append({'name': name, 'spec': spec, 'data': data, 'curve': curve})
        print(name, ' '.join(f"{c['epoch']}:{c['sharpness']:.6g}" for c in curve))
    with open(os.path.join(OUT_DIR, file), 'w') as f:
        json.dump({'generator': 'test/reference/hessian_reference.py', 'numpy': np.__version__, 'step': STEP,
                   'cases': cases}, f, indent=1)
        f.write('\n')


def main(files):
    for file in files or FIXTURES:
        if file not in FIXTURES:
            sys.exit(f'unknown fixture {file}; expected one of {", ".join(FIXTURES)}')
        write_fixture(file, FIXTURES[file])


if __name__ == '__main__':
    main(sys.argv[1:])
