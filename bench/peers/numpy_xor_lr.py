"""NumPy peer of `npm run sweep experiments/xor-lr.yaml`: the same eight runs, start to finish.

The experiment's settings written out (this script reads no YAML): the blog's XOR network
(2 -> 3 sigmoid -> 1 sigmoid, xavier, squared error), seed 48 for every run, full batch, 5000
epochs, the cost recorded at every epoch, a run stopped as diverged once its cost passes 0.24,
learning rates 0.01, 0.1, 0.5, 1, 5, 50, 500, 5000. Written the blog's way (one object per graph
node with forward/backward), one run after another, and, like the sweep, it writes curves.csv and
summary.csv into the output folder. The benchmark times the whole process, interpreter start-up
and `import numpy` included, as it times the whole `npm run sweep` command.

Usage: python3 numpy_xor_lr.py --out DIR
"""

import argparse
import csv
import os

import numpy as np

LEARNING_RATES = [0.01, 0.1, 0.5, 1, 5, 50, 500, 5000]
SEED = 48
EPOCHS = 5000
MAX_COST = 0.24


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


def train(x, y, lr):
    rng = np.random.RandomState(SEED)
    nodes = [Linear(2, 3, rng), Sigmoid(), Linear(3, 1, rng), Sigmoid()]
    m = y.shape[1]
    costs = []
    status = "finished"
    for _ in range(EPOCHS):
        a = x
        for node in nodes:
            a = node.forward(a)
        cost = float(np.sum((y - a) ** 2) / (2 * m))
        costs.append(cost)
        if not cost <= MAX_COST:
            status = "diverged"
            break
        grad = -(y - a) / m
        for node in reversed(nodes):
            grad = node.backward(grad)
        for node in nodes:
            if isinstance(node, Linear):
                node.update(lr)
    a = x
    for node in nodes:
        a = node.forward(a)
    accuracy = float(np.mean((a > 0.5) == (y == 1)) * 100)
    return costs, status, accuracy


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    x = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    with open(os.path.join(args.out, "curves.csv"), "w", newline="") as curves_file, open(
        os.path.join(args.out, "summary.csv"), "w", newline=""
    ) as summary_file:
        curves = csv.writer(curves_file)
        summary = csv.writer(summary_file)
        curves.writerow(["run", "learning_rate", "epoch", "cost"])
        summary.writerow(["run", "learning_rate", "status", "epochs", "final_cost", "train_accuracy"])
        for index, lr in enumerate(LEARNING_RATES):
            costs, status, accuracy = train(x, y, lr)
            for epoch, cost in enumerate(costs):
                curves.writerow([index, lr, epoch, repr(cost)])
            summary.writerow([index, lr, status, len(costs), repr(costs[-1]), accuracy])


if __name__ == "__main__":
    main()
