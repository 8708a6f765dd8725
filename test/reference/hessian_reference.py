"""NumPy reference for sharpness: the largest eigenvalue of the Hessian of the training loss with
respect to every weight and bias, at several epochs of a training run. The TypeScript engine
(Hessian-vector products by the R-operator, then Lanczos) must agree with these to 1e-5 relative;
test/nn/sharpness.test.ts reads test/fixtures/numpy/hessian-cases.json and needs no Python.

    python3 test/reference/hessian_reference.py   # rewrites hessian-cases.json

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

OUT = os.path.join(HERE, '..', 'fixtures', 'numpy', 'hessian-cases.json')
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


def sharpness_curve(spec, data, epochs):
    X, Y = np.array(data['x'], dtype=np.float64), np.array(data['y'], dtype=np.float64)
    nodes = ref.build(spec, X.shape[0])
    lr = spec['train']['learning_rate']
    out = []
    for e in range(max(epochs) + 1):
        if e in epochs:
            eigenvalues = np.linalg.eigvalsh(hessian(nodes, X, Y, spec['loss']))
            out.append({'epoch': e, 'sharpness': float(eigenvalues[-1]),
                        'smallest': float(eigenvalues[0]), 'parameters': int(eigenvalues.size)})
        ref.step(nodes, X, Y, spec['loss'], lr)
    return out


def lin(n, init='xavier'):
    return {'linear': n, 'init': init}


CASES = {
    # The blog's XOR network with a large step: the sharpness rises, then falls as the output saturates.
    'xor-2layer-sigmoid': (
        ref.spec([lin(3), 'sigmoid', lin(1), 'sigmoid'], seed=48, epochs=2001, lr=10.0),
        ref.XOR, [0, 50, 100, 250, 500, 1000, 2000]),
    # Two sigmoid hidden layers on 24 points, cross-entropy.
    'blobs-3layer-sigmoid-bce': (
        ref.spec([lin(4), 'sigmoid', lin(3), 'sigmoid', lin(1), 'sigmoid'], loss='bce', seed=5, epochs=601, lr=2.0),
        ref.blobs(21, 24, 1.0), [0, 20, 100, 300, 600]),
}


def main():
    cases = []
    for name, (spec, data, epochs) in CASES.items():
        curve = sharpness_curve(spec, data, epochs)
        cases.append({'name': name, 'spec': spec, 'data': data, 'curve': curve})
        print(name, ' '.join(f"{c['epoch']}:{c['sharpness']:.6g}" for c in curve))
    with open(OUT, 'w') as f:
        json.dump({'generator': 'test/reference/hessian_reference.py', 'numpy': np.__version__, 'step': STEP,
                   'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
