#!/usr/bin/env python3
"""numpy side of the `tfjs-model stats` benchmark (bench/stats_bench.sh).

  stats_bench.py stats MODEL_JSON [BINS]           the statistics `stats` computes, with numpy
  stats_bench.py compare NUMPY_JSON TFJS_JSON       checks that both agree

`stats` reads the float32 tensors of a layers/graph model (shards joined in manifest order, one
tensor in memory at a time) and computes per tensor and for the model what `tfjs-model stats`
computes (docs/stats-json.md): counts of values, NaN, +-Inf and zeros, finite min/max, mean,
population std, mean |x|, L2 norm (float64 sums) and a histogram of BINS bins over [min, max].
It prints a JSON summary. Only unquantized float32 weights are supported (what the benchmark
model holds).
"""
import json
import math
import os
import sys

import numpy as np


def tensor_stats(values, bins):
    x = values.astype(np.float64)
    finite = np.isfinite(x)
    f = x[finite]
    n = int(f.size)
    out = {
        "count": int(x.size),
        "finite": n,
        "nan": int(np.isnan(x).sum()),
        "posInf": int(np.isposinf(x).sum()),
        "negInf": int(np.isneginf(x).sum()),
        "zeros": int((f == 0).sum()),
        "l2": float(math.sqrt(np.dot(f, f))),
    }
    if n == 0:
        out.update(min=None, max=None, mean=None, std=None, meanAbs=None, histogram=None)
        return out, None
    lo, hi = float(f.min()), float(f.max())
    mean = float(f.mean())
    m2 = float(np.square(f - mean).sum())
    out.update(min=lo, max=hi, mean=mean, std=math.sqrt(m2 / n), meanAbs=float(np.abs(f).mean()))
    if bins > 0:
        if hi > lo:
            k = np.minimum(np.floor((f - lo) * (bins / (hi - lo))), bins - 1).astype(np.int64)
            counts = np.bincount(k, minlength=bins)
        else:
            counts = np.zeros(bins, dtype=np.int64)
            counts[0] = n
        out["histogram"] = {"min": lo, "max": hi, "counts": [int(c) for c in counts]}
    return out, (n, float(f.sum()), m2, mean)


def read_tensors(model_json):
    base = os.path.dirname(os.path.abspath(model_json))
    with open(model_json) as fh:
        model = json.load(fh)
    manifest = model["weightsManifest"] if isinstance(model, dict) else model
    paths = [p for group in manifest for p in group["paths"]]
    specs = [w for group in manifest for w in group.get("weights", [])]
    files = iter(paths)
    pending = bytearray()
    for spec in specs:
        if spec["dtype"] != "float32" or "quantization" in spec:
            raise SystemExit(f"stats_bench.py: only float32 weights are supported ({spec['name']})")
        need = 4 * math.prod(spec["shape"])
        while len(pending) < need:
            with open(os.path.join(base, next(files)), "rb") as fh:
                pending += fh.read()
        yield spec, np.frombuffer(bytes(pending[:need]), dtype="<f4")
        del pending[:need]


def stats(model_json, bins):
    tensors = []
    parts = []
    for spec, values in read_tensors(model_json):
        out, part = tensor_stats(values, bins)
        out["name"] = spec["name"]
        tensors.append(out)
        if part:
            parts.append(part)
    total = sum(p[0] for p in parts)
    model = {"finite": total}
    if total:
        mean = math.fsum(p[1] for p in parts) / total
        m2 = math.fsum(p[2] + p[0] * (p[3] - mean) ** 2 for p in parts)
        model.update(mean=mean, std=math.sqrt(m2 / total),
                     min=min(t["min"] for t in tensors if t["min"] is not None),
                     max=max(t["max"] for t in tensors if t["max"] is not None))
    json.dump({"bins": bins, "model": model, "tensors": tensors}, sys.stdout)
    print()


def compare(numpy_json, tfjs_json):
    with open(numpy_json) as fh:
        a = json.load(fh)
    with open(tfjs_json) as fh:
        b = json.load(fh)
    problems = []
    if len(a["tensors"]) != len(b["tensors"]):
        problems.append("tensor counts differ")
    worst = 0.0
    for x, y in zip(a["tensors"], b["tensors"]):
        for key in ("count", "finite", "nan", "posInf", "negInf", "zeros", "min", "max"):
            if x[key] != y[key]:
                problems.append(f"{x['name']}: {key} {x[key]} != {y[key]}")
        for key in ("mean", "std", "meanAbs", "l2"):
            if x[key] is None or y[key] is None:
                if x[key] != y[key]:
                    problems.append(f"{x['name']}: {key} {x[key]} != {y[key]}")
                continue
            # numpy's float64 sums are pairwise, not exact: compare loosely, report the worst.
            rel = abs(x[key] - y[key]) / abs(x[key]) if x[key] else abs(y[key])
            worst = max(worst, rel)
            if rel > 1e-9:
                problems.append(f"{x['name']}: {key} {x[key]} vs {y[key]} (relative {rel:.2e})")
        hx = x["histogram"]["counts"] if x.get("histogram") else None
        hy = y["histogram"]["counts"] if y.get("histogram") else None
        if hx != hy:
            problems.append(f"{x['name']}: histograms differ")
    for key in ("mean", "std"):
        rel = abs(a["model"][key] - b["model"][key]) / abs(a["model"][key])
        worst = max(worst, rel)
        if rel > 1e-9:
            problems.append(f"model {key}: {a['model'][key]} vs {b['model'][key]}")
    for p in problems[:20]:
        print("  MISMATCH", p)
    print(f"  numpy and tfjs-model agree on {len(a['tensors'])} tensors: "
          f"{'yes' if not problems else 'NO'} (worst relative difference {worst:.1e})")
    return 0 if not problems else 1


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "stats":
        stats(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 20)
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
