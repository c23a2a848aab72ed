#!/usr/bin/env bash
# Benchmark (not a test) of the file:// paths of the CLI. Usage:
#   bench/file_bench.sh /path/to/tfjs-model [work-dir]
# Generates, in a temp dir (or work-dir), a 1 GiB model (256 Dense kernels of 4 MiB, 4 MiB
# shards) and a 1 MiB model with the same topology shape (256 kernels of 4 KiB), then prints:
#   - `tfjs-model info` wall time on each (median of 5) and their ratio   (target <= 1.2x);
#   - `tfjs-model copy` of the big model vs `cp -r` of its folder (median of 3), as MiB/s and
#     their ratio (target copy >= 0.7x cp); for context also cp -r followed by `sync` of the
#     copied files (tfjs-model fsyncs its atomic saves; cp does not). Page caches are warm for
#     all (dropping them needs root and would disturb other work); runs alternate so each sees
#     the same cache state.
# Exits 0 whether or not targets are met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: file_bench.sh /path/to/tfjs-model [work-dir]}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

python=python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
    python=/usr/bin/python3   # e.g. a pyenv python3 first on PATH without numpy
    "$python" -c 'import numpy' || { echo "file_bench: needs python3 with numpy" >&2; exit 1; }
fi

if [[ -n ${2:-} ]]; then
    work="$2"; mkdir -p "$work"
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/tfjs-bench.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
fi
need=$(( 3 * 1024 * 1024 ))   # KiB: the model, one copy, a little slack
avail=$(df -Pk "$work" | awk 'NR==2 {print $4}')
if (( avail < need )); then
    echo "file_bench: need ~3 GiB free in $work, have $((avail / 1024)) MiB" >&2
    exit 1
fi

echo "== generating models in $work"
"$python" "$here/gen_model.py" "$work/big" 256 1024 1
"$python" "$here/gen_model.py" "$work/small" 256 32 2
big_bytes=$(( 256 * 1024 * 1024 * 4 ))

now() { echo "${EPOCHREALTIME/[.,]/}"; }   # microseconds
# time_us CMD... : prints the wall time of one run in microseconds; output goes to /dev/null.
time_us() {
    local t0 t1
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    echo $(( t1 - t0 ))
}
# Each timed run starts with nothing left to write back and the disk idle again.
settle() { sync; sleep 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { awk -v us="$1" 'BEGIN {printf "%.2f ms", us / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" -v op="$3" 'BEGIN {
    ok = (op == "<=") ? (r <= t) : (r >= t); print ok ? "meets target" : "MISSES target"}'; }

echo "== tfjs-model info (median of 5)"
"$cli" info "$work/big/model.json" >/dev/null      # warm-up; also fails early if info fails
"$cli" info "$work/small/model.json" >/dev/null
small_t=(); big_t=()
for _ in 1 2 3 4 5; do
    small_t+=("$(time_us "$cli" info "$work/small/model.json")")
    big_t+=("$(time_us "$cli" info "$work/big/model.json")")
done
small_m=$(median "${small_t[@]}"); big_m=$(median "${big_t[@]}")
r=$(ratio "$big_m" "$small_m")
printf '  info, 1 MiB model : %s\n' "$(ms "$small_m")"
printf '  info, 1 GiB model : %s\n' "$(ms "$big_m")"
printf '  ratio big/small   : %sx (target <= 1.2x: %s)\n' "$r" "$(verdict "$r" 1.2 '<=')"

echo "== copy of the 1 GiB model (median of 3; each run starts with nothing left to write back)"
copy_t=(); cp_t=(); dcopy_t=(); cps_t=()
for i in 1 2 3; do
    rm -rf "$work/out-copy" "$work/out-cp"; settle
    copy_t+=("$(time_us "$cli" copy "$work/big/model.json" "$work/out-copy")")
    if (( i == 1 )); then
        size=$(stat -c %s "$work/out-copy/weights.bin")
        if (( size != big_bytes )); then
            echo "file_bench: copy wrote $size weight bytes, expected $big_bytes" >&2; exit 1
        fi
        mapfile -t shards < <("$python" -c 'import json,sys
for p in json.load(open(sys.argv[1]))["weightsManifest"][0]["paths"]: print(p)' \
            "$work/big/model.json")
        cmp <(cd "$work/big" && cat "${shards[@]}") "$work/out-copy/weights.bin" ||
            { echo "file_bench: copied weights.bin differs from the shards" >&2; exit 1; }
    fi
    rm -rf "$work/out-copy"; settle
    cp_t+=("$(time_us cp -r "$work/big" "$work/out-cp")")
    rm -rf "$work/out-cp"; settle
    # Durable saves, for context: `copy --durable` fsyncs before it returns, so it is set
    # against cp -r followed by a sync of the copied files.
    dcopy_t+=("$(time_us "$cli" copy --durable "$work/big/model.json" "$work/out-copy")")
    rm -rf "$work/out-copy"; settle
    cps_t+=("$(time_us bash -c 'cp -r "$1" "$2" && sync "$2"/*' _ "$work/big" "$work/out-cp")")
    rm -rf "$work/out-cp"
done
copy_m=$(median "${copy_t[@]}"); cp_m=$(median "${cp_t[@]}"); cps_m=$(median "${cps_t[@]}")
dcopy_m=$(median "${dcopy_t[@]}")
mibs() { awk -v b="$big_bytes" -v us="$1" 'BEGIN {printf "%.0f", b / 1048576 / (us / 1e6)}'; }
copy_tp=$(mibs "$copy_m"); cp_tp=$(mibs "$cp_m")
r=$(ratio "$copy_tp" "$cp_tp")
printf '  tfjs-model copy   : %s, %s MiB/s\n' "$(ms "$copy_m")" "$copy_tp"
printf '  cp -r             : %s, %s MiB/s\n' "$(ms "$cp_m")" "$cp_tp"
printf '  ratio copy/cp     : %sx throughput (target >= 0.7x: %s)\n' "$r" \
    "$(verdict "$r" 0.7 '>=')"
printf '  copy --durable    : %s, %s MiB/s; cp -r + sync: %s, %s MiB/s; ratio %sx\n' \
    "$(ms "$dcopy_m")" "$(mibs "$dcopy_m")" "$(ms "$cps_m")" "$(mibs "$cps_m")" \
    "$(ratio "$(mibs "$dcopy_m")" "$(mibs "$cps_m")")"
