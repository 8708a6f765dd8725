"""Runs the README's NumPy snippet for `gradgrid export` on exported .npz files, one after the
other in this one process, and measures what its predictions give: what the snippet printed, and,
for a file exported with --data, the training cost (by the run's loss, as the engine computes it)
and the accuracy. Prints one JSON list with an object per file, in the order given.

    python3 test/python/check_weights.py SNIPPET.py PATH_WRITTEN_IN_SNIPPET WEIGHTS.npz [WEIGHTS.npz ...]
"""

import contextlib
import io
import json
import sys

import numpy as np

snippet_file, written_path, *npz_paths = sys.argv[1:]
snippet = open(snippet_file, encoding="utf-8").read()
if written_path not in snippet:
    sys.exit(f"the snippet does not load {written_path!r}")


def check(npz_path):
    # A fresh namespace per file: nothing of one run's snippet is left for the next.
    namespace = {"__name__": "readme_snippet"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(snippet.replace(written_path, npz_path), "README snippet", "exec"), namespace)
    result = {"file": npz_path, "printed": printed.getvalue()}
    predict, data, meta = namespace["predict"], namespace["data"], namespace["meta"]
    if "X" not in data:
        return result

    X, Y = data["X"], data["Y"]
    m = X.shape[1]
    A = predict(X)
    # The fused losses work on the logits: the same graph without its final sigmoid (or softmax).
    namespace["meta"] = {**meta, "graph": meta["graph"][:-1]}
    Z = predict(X)
    namespace["meta"] = meta

    loss = meta["loss"]
    if loss == "squared_error":
        cost = (1 / (2 * m)) * np.sum((Y - A) ** 2)
    elif loss == "cross_entropy":
        # One-hot Y (classes, m): the mean of logsumexp(Z[:, i]) - Z[y_i, i], the column maximum taken out.
        top = Z.max(axis=0)
        cost = (1 / m) * np.sum(top + np.log(np.exp(Z - top).sum(axis=0)) - (Z * Y).sum(axis=0))
    else:
        L = Z if loss == "bce" else np.log(np.clip(A, 1e-7, 1 - 1e-7) / (1 - np.clip(A, 1e-7, 1 - 1e-7)))
        cost = (1 / m) * np.sum(np.maximum(L, 0) - L * Y + np.log(1 + np.exp(-np.abs(L))))
    if Y.shape[0] > 1:
        accuracy = 100 * np.mean(A.argmax(axis=0) == Y.argmax(axis=0))
    else:
        accuracy = 100 * np.mean((A > 0.5) == (Y == 1))
    return {**result, "cost": float(cost), "accuracy": float(accuracy)}


print(json.dumps([check(path) for path in npz_paths]))
