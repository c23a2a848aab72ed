#!/usr/bin/env bash
# Benchmark (not a test) of `tfjs-model quantize`. Usage:
#   bench/quantize_bench.sh /path/to/tfjs-model [work-dir]
# Generates (bench/gen_model.py) a model of 64 float32 kernels of 2048x2048 = 1 GiB in 4 MiB
# shards (seed 7), warms the page cache, then quantizes it to uint8 and to float16 into a
# file:// folder and prints the wall time and peak RSS of each against the target: peak RSS
# <= 256 MiB (the quantized weights are spooled to a temporary file, not held in memory).
# Exits 0 whether or not the target is met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: quantize_bench.sh /path/to/tfjs-model [work-dir]}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/bench_setup.sh"
bench_setup quantize_bench 3 "${2:-}"
if [[ ! -f $work/a/model.json ]]; then
    echo "== generating a 1 GiB model"
    "$python" "$here/gen_model.py" "$work/a" 64 2048 7
fi
cat "$work"/a/*.bin > /dev/null   # warm the page cache

# Runs the command and prints "<seconds> <peak RSS KiB>".
measure() {
    "$python" -c 'import resource, subprocess, sys, time
t0 = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
t1 = time.monotonic()
assert r.returncode == 0, r.returncode
print(f"{t1 - t0:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")' "$@"
}

for dtype in uint8 float16; do
    rm -rf "$work/q-$dtype"
    read -r secs rss < <(measure "$cli" quantize --no-progress --json --dtype "$dtype" \
        "$work/a/model.json" "$work/q-$dtype")
    size=$(du -sk "$work/q-$dtype" | awk '{print $1}')
    awk -v d="$dtype" -v s="$secs" -v r="$rss" -v z="$size" 'BEGIN {
        printf "quantize %-8s %.3f s  %.0f MiB written  peak RSS %.0f MiB (target <= 256 MiB: %s)\n",
            d, s, z / 1024, r / 1024, r / 1024 <= 256 ? "meets" : "MISSES"
    }'
    rm -rf "$work/q-$dtype"
done
