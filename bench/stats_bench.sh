#!/usr/bin/env bash
# Benchmark (not a test) of `tfjs-model stats`. Usage:
#   bench/stats_bench.sh /path/to/tfjs-model /path/to/stats-yardstick [work-dir]
# Generates (bench/gen_model.py) a model of 64 float32 kernels of 2048x2048 = 1 GiB in 4 MiB
# shards (each kernel spans 4 shards), warms the page cache, then prints the wall time (median
# of 5) and peak RSS of:
#   - the yardstick (bench/stats_bench.cpp): one mmap pass, min/max/sum/sum of squares/zeros,
#     2 threads;
#   - `tfjs-model stats --json` (all statistics, 20-bin histograms, one thread per core), and,
#     for context, `--bins 0` (no histogram: one pass over the data instead of two);
#   - numpy computing the same statistics (bench/stats_bench.py, median of 3);
# and the ratios against the targets: stats <= 1.5x the yardstick, >= 10x faster than numpy,
# peak RSS <= 256 MiB. Also checks that numpy and tfjs-model agree. Exits 0 whether or not
# the targets are met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: stats_bench.sh /path/to/tfjs-model /path/to/stats-yardstick [work-dir]}"
yard="${2:?usage: stats_bench.sh /path/to/tfjs-model /path/to/stats-yardstick [work-dir]}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

python=python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
    python=/usr/bin/python3   # e.g. a pyenv python3 first on PATH without numpy
    "$python" -c 'import numpy' || { echo "stats_bench: needs python3 with numpy" >&2; exit 1; }
fi

if [[ -n ${3:-} ]]; then
    work="$3"; mkdir -p "$work"
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/tfjs-stats-bench.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
fi
need=$(( 3 * 512 * 1024 ))   # KiB: the model plus slack
avail=$(df -Pk "$work" | awk 'NR==2 {print $4}')
if (( avail < need )); then
    echo "stats_bench: need ~1.5 GiB free in $work, have $((avail / 1024)) MiB" >&2
    exit 1
fi

model="$work/model"
if [[ ! -f $model/model.json ]]; then
    echo "== generating the model in $model"
    "$python" "$here/gen_model.py" "$model" 64 2048 7
fi
mapfile -t shards < <(ls "$model"/group1-shard*of*.bin | sort -V)
cat "${shards[@]}" > /dev/null   # warm the page cache: every run reads from memory

now() { echo "${EPOCHREALTIME/[.,]/}"; }   # microseconds
time_us() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); echo $(( t1 - t0 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() { awk -v us="$1" 'BEGIN {printf "%.3f s", us / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" -v op="$3" 'BEGIN {
    ok = (op == "<=") ? (r <= t) : (r >= t); print ok ? "meets target" : "MISSES target"}'; }
# Peak RSS (KiB) of one run, from the kernel's accounting of the waited-for child.
peak_kib() {
    "$python" -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

echo "== correctness: tfjs-model stats vs numpy on the 1 GiB model"
"$cli" stats --json "$model/model.json" > "$work/tfjs.json"
"$python" "$here/stats_bench.py" stats "$model/model.json" 20 > "$work/numpy.json"
"$python" "$here/stats_bench.py" compare "$work/numpy.json" "$work/tfjs.json"

echo "== wall times (page cache warm; runs alternate)"
yard_t=(); stats_t=(); nohist_t=(); numpy_t=()
for i in 1 2 3 4 5; do
    yard_t+=("$(time_us "$yard" "${shards[@]}")")
    stats_t+=("$(time_us "$cli" stats --json "$model/model.json")")
    nohist_t+=("$(time_us "$cli" stats --json --bins 0 "$model/model.json")")
    if (( i <= 3 )); then
        numpy_t+=("$(time_us "$python" "$here/stats_bench.py" stats "$model/model.json" 20)")
    fi
done
yard_m=$(median "${yard_t[@]}"); stats_m=$(median "${stats_t[@]}"); numpy_m=$(median "${numpy_t[@]}")
nohist_m=$(median "${nohist_t[@]}")
stats_rss=$(peak_kib "$cli" stats --json "$model/model.json")
yard_rss=$(peak_kib "$yard" "${shards[@]}")
numpy_rss=$(peak_kib "$python" "$here/stats_bench.py" stats "$model/model.json" 20)

r_yard=$(ratio "$stats_m" "$yard_m")
r_numpy=$(ratio "$numpy_m" "$stats_m")
printf '  yardstick (mmap, 2 threads)   : %s  (runs: %s)  peak RSS %d MiB\n' "$(secs "$yard_m")" \
    "$(for t in "${yard_t[@]}"; do secs "$t" | tr -d ' s'; printf ' '; done)" $(( yard_rss / 1024 ))
printf '  tfjs-model stats              : %s  (runs: %s)  peak RSS %d MiB\n' "$(secs "$stats_m")" \
    "$(for t in "${stats_t[@]}"; do secs "$t" | tr -d ' s'; printf ' '; done)" $(( stats_rss / 1024 ))
printf '  stats --bins 0 (one pass)     : %s  (runs: %s)  %sx the yardstick (context only)\n' \
    "$(secs "$nohist_m")" "$(for t in "${nohist_t[@]}"; do secs "$t" | tr -d ' s'; printf ' '; done)" \
    "$(ratio "$nohist_m" "$yard_m")"
printf '  numpy                         : %s  (runs: %s)  peak RSS %d MiB\n' "$(secs "$numpy_m")" \
    "$(for t in "${numpy_t[@]}"; do secs "$t" | tr -d ' s'; printf ' '; done)" $(( numpy_rss / 1024 ))
printf '  stats / yardstick             : %sx (target <= 1.5x: %s)\n' "$r_yard" "$(verdict "$r_yard" 1.5 '<=')"
printf '  numpy / stats                 : %sx (target >= 10x: %s)\n' "$r_numpy" "$(verdict "$r_numpy" 10 '>=')"
printf '  stats peak RSS                : %d MiB (target <= 256 MiB: %s)\n' $(( stats_rss / 1024 )) \
    "$(verdict "$(( stats_rss / 1024 ))" 256 '<=')"
printf '  cores: %s, load average before the runs: %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
