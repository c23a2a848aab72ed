#!/usr/bin/env bash
# Benchmark (not a test) of `tfjs-model diff`. Usage:
#   bench/diff_bench.sh /path/to/tfjs-model [work-dir]
# Generates (bench/gen_model.py) two models of 64 float32 kernels of 2048x2048 = 1 GiB each in
# 4 MiB shards, with other seeds (every value differs), warms the page cache, then prints the
# wall time (median of 3) and peak RSS of `tfjs-model diff --json A B` against
# `tfjs-model stats --json A`, and the ratios against the targets: diff <= 2x stats, peak RSS
# <= 256 MiB. Exits 0 whether or not the targets are met; non-zero only if a command fails
# (diff's exit 1, "different", is expected).
set -euo pipefail
cli="${1:?usage: diff_bench.sh /path/to/tfjs-model [work-dir]}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/bench_setup.sh"
bench_setup diff_bench 3 "${2:-}"
for m in a:7 b:8; do
    if [[ ! -f $work/${m%%:*}/model.json ]]; then
        echo "== generating model ${m%%:*}"
        "$python" "$here/gen_model.py" "$work/${m%%:*}" 64 2048 "${m##*:}"
    fi
done
cat "$work"/a/*.bin "$work"/b/*.bin > /dev/null   # warm the page cache

now() { echo "${EPOCHREALTIME/[.,]/}"; }
# Runs the command, tolerating exit 1 (diff: different), and prints microseconds.
time_us() { local t0 t1 rc=0; t0=$(now); "$@" > /dev/null || rc=$?; t1=$(now)
            (( rc <= 1 )) || { echo "diff_bench: $* exited $rc" >&2; exit 1; }; echo $(( t1 - t0 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
peak_kib() {
    "$python" -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
assert r.returncode in (0, 1), r.returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

stats_runs=(); diff_runs=()
for _ in 1 2 3; do
    stats_runs+=("$(time_us "$cli" stats --json --no-progress "$work/a/model.json")")
    diff_runs+=("$(time_us "$cli" diff --json --no-progress "$work/a/model.json" "$work/b/model.json")")
done
stats_us=$(median "${stats_runs[@]}")
diff_us=$(median "${diff_runs[@]}")
rss=$(peak_kib "$cli" diff --json --no-progress "$work/a/model.json" "$work/b/model.json")
awk -v s="$stats_us" -v d="$diff_us" -v r="$rss" 'BEGIN {
    printf "stats A:     %.3f s\n", s / 1e6
    printf "diff A B:    %.3f s  (%.2fx stats; target <= 2x: %s)\n", d / 1e6, d / s, d / s <= 2 ? "meets" : "MISSES"
    printf "diff RSS:    %.0f MiB (target <= 256 MiB: %s)\n", r / 1024, r / 1024 <= 256 ? "meets" : "MISSES"
}'
