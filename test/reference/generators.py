"""Reference for gradgrid's 2-D generators (src/data/generators.ts), redrawn with NumPy's legacy
RandomState in the documented draw order, so the TypeScript generators are checked against an
independent implementation of their own documentation.

    python3 test/reference/generators.py   # writes test/fixtures/numpy/generators.json
"""

import json
import math
import pathlib

import numpy as np

CASES = [
    {"name": "circle", "samples": 9, "noise": 0.25, "seed": 7},
    {"name": "spiral", "samples": 9, "noise": 0.25, "seed": 7},
    {"name": "gaussians", "samples": 9, "noise": 0.25, "seed": 7},
    {"name": "xor-quadrants", "samples": 9, "noise": 0.25, "seed": 7},
    {"name": "circle", "samples": 200, "noise": 0.1, "seed": 0},
]


def halves(n):
    return (n + 1) // 2, n // 2  # label 1 takes the odd point


def circle(rs, n, noise):
    points = []
    inner, outer = halves(n)
    for count, r_min, r_max in ((inner, 0.0, 2.5), (outer, 3.5, 5.0)):
        for _ in range(count):
            r = rs.uniform(r_min, r_max)
            angle = rs.uniform(0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            nx = rs.uniform(-5, 5) * noise
            ny = rs.uniform(-5, 5) * noise
            points.append((x, y, 1 if math.hypot(x + nx, y + ny) < 2.5 else 0))
    return points


def spiral(rs, n, noise):
    points = []
    ones, zeros = halves(n)
    for count, turn, label in ((ones, 0.0, 1), (zeros, math.pi, 0)):
        for i in range(count):
            r = i / count * 5
            t = 1.75 * i / count * 2 * math.pi + turn
            x = r * math.sin(t) + rs.uniform(-1, 1) * noise
            y = r * math.cos(t) + rs.uniform(-1, 1) * noise
            points.append((x, y, label))
    return points


def gaussians(rs, n, noise):
    points = []
    sd = math.sqrt(0.5 + 7 * noise)
    ones, zeros = halves(n)
    for count, centre, label in ((ones, 2.0, 1), (zeros, -2.0, 0)):
        for _ in range(count):
            x = centre + sd * rs.randn()
            y = centre + sd * rs.randn()
            points.append((x, y, label))
    return points


def xor_quadrants(rs, n, noise):
    def pad(v):
        return v + (0.3 if v > 0 else -0.3)

    points = []
    for _ in range(n):
        x = pad(rs.uniform(-5, 5))
        y = pad(rs.uniform(-5, 5))
        nx = rs.uniform(-5, 5) * noise
        ny = rs.uniform(-5, 5) * noise
        points.append((x, y, 1 if (x + nx) * (y + ny) >= 0 else 0))
    return points


GENERATORS = {"circle": circle, "spiral": spiral, "gaussians": gaussians, "xor-quadrants": xor_quadrants}


def main() -> None:
    results = []
    for case in CASES:
        rs = np.random.RandomState(case["seed"])
        points = GENERATORS[case["name"]](rs, case["samples"], case["noise"])
        X = np.array([[p[0] for p in points], [p[1] for p in points]])  # (2 x m)
        Y = np.array([[p[2] for p in points]], dtype=float)              # (1 x m)
        results.append({**case, "x": X.tolist(), "y": Y.tolist()})
    target = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "numpy" / "generators.json"
    body = ",\n".join(" " + json.dumps(r) for r in results)
    target.write_text(json.dumps({"numpy_version": np.__version__})[:-1] + ', "cases": [\n' + body + "\n]}\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
