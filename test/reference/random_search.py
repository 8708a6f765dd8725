"""Reference for gradgrid's random search (src/experiment/sweep-axes.ts, grid.ts), redrawn with
NumPy's legacy RandomState in the documented order: np.random.seed(seed), then sample after
sample, one draw per sweep axis in the order written:

    list of n values   values[randint(n)]        (no draw when n == 1)
    uniform [a, b]     uniform(a, b)
    loguniform [a, b]  exp(uniform(log a, log b)), kept within [a, b]
    int_uniform [a, b] randint(a, b + 1)

    python3 test/reference/random_search.py   # writes test/fixtures/numpy/random-search.json
"""

import json
import math
import pathlib

import numpy as np

CASES = [
    {
        "seed": 7,
        "samples": 40,
        "axes": [
            ["train.learning_rate", {"loguniform": [0.001, 10]}],
            ["train.epochs", {"int_uniform": [50, 400]}],
            ["model.1", ["sigmoid", "tanh", "relu"]],
            ["divergence.max_cost", {"uniform": [0.5, 2.5]}],
            ["seed", [3]],
        ],
    },
    {
        "seed": 4294967295,
        "samples": 25,
        "axes": [
            ["seed", {"int_uniform": [0, 4294967295]}],
            ["train.learning_rate", {"uniform": [0.25, 0.25]}],
            ["model.0.linear", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]],
        ],
    },
]


def draw(rs, axis):
    if isinstance(axis, list):
        return axis[0] if len(axis) == 1 else axis[int(rs.randint(len(axis)))]
    (name, (low, high)), = axis.items()
    if name == "uniform":
        return float(rs.uniform(low, high))
    if name == "loguniform":
        return min(high, max(low, math.exp(rs.uniform(math.log(low), math.log(high)))))
    if name == "int_uniform":
        return int(rs.randint(low, high + 1, dtype=np.int64))
    raise ValueError(name)


def main():
    cases = []
    for case in CASES:
        rs = np.random.RandomState(case["seed"])
        samples = [[draw(rs, axis) for _, axis in case["axes"]] for _ in range(case["samples"])]
        cases.append({**case, "draws": samples})
    out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "numpy" / "random-search.json"
    out.write_text(json.dumps({"numpy_version": np.__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
