"""Chinchilla Approach 3 with SciPy's L-BFGS-B and analytic gradients over the full 4,500-start grid.

Run by bench/scaling.bench.ts when python3 with numpy and scipy is available, to compare against the TypeScript
fitter on the same data (the 240 lowest-loss points of test/fixtures/chinchilla/svg_extracted_data.csv) and the
same objective (summed Huber, delta 1e-3, on log residuals; LSE parametrisation). Prints one JSON line.
"""
import csv
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

path = sys.argv[1]
with open(path, newline="") as f:
    rows = list(csv.DictReader(f))
n = np.array([float(r["Model Size"]) for r in rows])
c = np.array([float(r["Training FLOP"]) for r in rows])
loss = np.array([float(r["loss"]) for r in rows])
keep = np.argsort(loss, kind="stable")[:240]
ln_n, ln_d, ln_l = np.log(n[keep]), np.log(c[keep] / (6 * n[keep])), np.log(loss[keep])
DELTA = 1e-3


def objective(x):
    a, b, e, alpha, beta = x
    z = np.stack([a - alpha * ln_n, b - beta * ln_d, np.full_like(ln_n, e)])
    lse = logsumexp(z, axis=0)
    r = lse - ln_l
    quad = np.abs(r) <= DELTA
    f = np.sum(np.where(quad, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)))
    psi = np.where(quad, r, DELTA * np.sign(r))
    w = np.exp(z - lse)
    g = np.array([
        np.sum(psi * w[0]),
        np.sum(psi * w[1]),
        np.sum(psi * w[2]),
        -np.sum(psi * w[0] * ln_n),
        -np.sum(psi * w[1] * ln_d),
    ])
    return f, g


grid = [(a, b, e, al, be)
        for al in np.arange(0, 2.01, 0.5) for be in np.arange(0, 2.01, 0.5)
        for e in np.arange(-1, 1.01, 0.5) for a in np.arange(0, 25.1, 5) for b in np.arange(0, 25.1, 5)]
t0 = time.perf_counter()
best = None
evaluations = 0
for x0 in grid:
    res = minimize(objective, np.array(x0, dtype=float), jac=True, method="L-BFGS-B")
    evaluations += res.nfev
    if best is None or res.fun < best.fun:
        best = res
seconds = time.perf_counter() - t0
a, b, e, alpha, beta = best.x
print(json.dumps({
    "starts": len(grid), "seconds": seconds, "evaluations": int(evaluations), "objective": float(best.fun),
    "E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)), "alpha": float(alpha), "beta": float(beta),
    "scipy": __import__("scipy").__version__, "numpy": np.__version__,
}))
