"""NumPy peer of the gradgrid benchmark: the same trainings, written the blog's way.

Each node of the computational graph is an object with forward() and backward(); one epoch is
a full-batch forward pass, the cost, a backward pass and `W -= lr*dW; b -= lr*db` on every
Linear node, exactly as gradgrid's engine does it.

Usage: python3 numpy_bench.py --spiral FILE [--tiny-epochs N] [--tiny-repeats R]
                              [--medium-epochs N] [--medium-repeats R]
Prints one JSON object on stdout. FILE holds {"x": [[x1...], [x2...]], "y": [[y...]]}.
"""

import argparse
import ctypes
import glob
import json
import os
import platform
import sys
import time

import numpy as np


class Linear:
    def __init__(self, n_in, n_out, rng):
        self.W = rng.randn(n_out, n_in) / np.sqrt(n_in)  # xavier, as in the blog
        self.b = np.zeros((n_out, 1))

    def forward(self, a_prev):
        self.a_prev = a_prev
        return self.W @ a_prev + self.b

    def backward(self, dz):
        self.dW = dz @ self.a_prev.T
        self.db = np.sum(dz, axis=1, keepdims=True)
        return self.W.T @ dz

    def update(self, lr):
        self.W -= lr * self.dW
        self.b -= lr * self.db


class Sigmoid:
    def forward(self, z):
        self.a = 1 / (1 + np.exp(-z))
        return self.a

    def backward(self, da):
        return da * self.a * (1 - self.a)


def squared_error(y, a):
    m = y.shape[1]
    cost = np.sum((y - a) ** 2) / (2 * m)
    return cost, -(y - a) / m


def build(sizes, rng):
    nodes = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        nodes += [Linear(n_in, n_out, rng), Sigmoid()]
    return nodes


def epoch_squared_error(nodes, x, y, lr):
    a = x
    for node in nodes:
        a = node.forward(a)
    cost, grad = squared_error(y, a)
    for node in reversed(nodes):
        grad = node.backward(grad)
    for node in nodes:
        if isinstance(node, Linear):
            node.update(lr)
    return cost


def epoch_bce(nodes, x, y, lr):
    # Stable binary cross-entropy from the last Linear output, fused with the final sigmoid.
    a = x
    for node in nodes[:-1]:
        a = node.forward(a)
    z = a
    m = y.shape[1]
    cost = np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))) / m
    grad = (1 / (1 + np.exp(-z)) - y) / m
    for node in reversed(nodes[:-1]):
        grad = node.backward(grad)
    for node in nodes:
        if isinstance(node, Linear):
            node.update(lr)
    return cost


def time_training(make, step, x, y, lr, epochs, repeats):
    """Median over `repeats` of the wall time per epoch (seconds), after one warm-up repeat."""
    per_epoch = []
    for r in range(repeats + 1):
        nodes = make()
        start = time.perf_counter()
        cost = None
        for _ in range(epochs):
            cost = step(nodes, x, y, lr)
        elapsed = time.perf_counter() - start
        if r > 0:
            per_epoch.append(elapsed / epochs)
    per_epoch.sort()
    return per_epoch[len(per_epoch) // 2], per_epoch, float(cost)


def blas_info():
    """Which BLAS numpy was built with and, at run time, which kernel it picked."""
    info = {}
    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["name"] = deps.get("name")
        info["version"] = deps.get("version")
    except Exception as exc:  # older numpy: no dict mode
        info["config_error"] = str(exc)
    try:
        import threadpoolctl

        info["threadpools"] = threadpoolctl.threadpool_info()
        return info
    except ImportError:
        pass
    # Without threadpoolctl, ask the bundled OpenBLAS directly.
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "")):
            corename = getattr(lib, prefix + "get_corename" + suffix, None)
            if corename is None:
                continue
            corename.restype = ctypes.c_char_p
            info["kernel"] = corename().decode()
            threads = getattr(lib, prefix + "get_num_threads" + suffix, None)
            if threads is not None:
                info["threads"] = threads()
            return info
    return info


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spiral", required=True)
    parser.add_argument("--tiny-epochs", type=int, default=20000)
    parser.add_argument("--tiny-repeats", type=int, default=7)
    parser.add_argument("--medium-epochs", type=int, default=50)
    parser.add_argument("--medium-repeats", type=int, default=5)
    args = parser.parse_args()

    xor_x = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    xor_y = np.array([[0.0, 1.0, 1.0, 0.0]])
    tiny_s, tiny_all, tiny_cost = time_training(
        lambda: build([2, 3, 1], np.random.RandomState(48)),
        epoch_squared_error, xor_x, xor_y, 1.0, args.tiny_epochs, args.tiny_repeats)

    with open(args.spiral) as f:
        spiral = json.load(f)
    sx = np.array(spiral["x"], dtype=np.float64)
    sy = np.array(spiral["y"], dtype=np.float64)
    medium_s, medium_all, medium_cost = time_training(
        lambda: build([2, 64, 64, 1], np.random.RandomState(1)),
        epoch_bce, sx, sy, 0.1, args.medium_epochs, args.medium_repeats)

    json.dump({
        "peer": "numpy",
        "version": np.__version__,
        "python": platform.python_version(),
        "blas": blas_info(),
        "env": {k: os.environ.get(k) for k in
                ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
        "tiny": {"usPerEpoch": tiny_s * 1e6, "epochs": args.tiny_epochs,
                 "repeatsUs": [t * 1e6 for t in tiny_all], "finalCost": tiny_cost},
        "medium": {"msPerEpoch": medium_s * 1e3, "epochs": args.medium_epochs,
                   "repeatsMs": [t * 1e3 for t in medium_all], "finalCost": medium_cost},
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
