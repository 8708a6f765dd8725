"""Runs the README's NumPy snippet for `gradgrid export` on an exported .npz and measures what
its predictions give: the training cost (by the run's loss, as the engine computes it) and the
accuracy, printed as one JSON line after whatever the snippet prints.

    python3 test/python/check_weights.py SNIPPET.py WEIGHTS.npz PATH_WRITTEN_IN_SNIPPET
"""

import json
import sys

import numpy as np

snippet_file, npz_path, written_path = sys.argv[1:4]
snippet = open(snippet_file, encoding="utf-8").read()
if written_path not in snippet:
    sys.exit(f"the snippet does not load {written_path!r}")
namespace = {"__name__": "readme_snippet"}
exec(compile(snippet.replace(written_path, npz_path), "README snippet", "exec"), namespace)
predict, data, meta = namespace["predict"], namespace["data"], namespace["meta"]

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
print(json.dumps({"cost": float(cost), "accuracy": float(accuracy), "predictions": A.ravel().tolist()}))
