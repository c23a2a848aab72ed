#!/usr/bin/env bash
# Benchmark (not a test) of `tfjs-model serve` over loopback. Usage:
#   bench/serve_bench.sh /path/to/tfjs-model [work-dir]
# Generates a seeded 1 GiB model (bench/gen_model.py: 256 Dense kernels of 4 MiB) and joins its
# weights into one file, as TF.js's http handler sends them. Then, median of 3 runs each:
#   - save: `curl -F model.json=@… -F model.weights.bin=@…` to POST /models/bench/N (multipart,
#           as TF.js sends it; the server spools the body and stores it in indexeddb://), against
#           the same curl upload to a sink that reads and discards the body
#           (bench/sink_server.py), and `cp` of the weights file into the same file system (what
#           storing at least costs);
#   - load: curl GET of model.json then of the weights it names (model.weights.TAG.bin, found
#           by their hash; sendfile from the store's blob), against the same two GETs from
#           `python3 -m http.server` serving the same files;
# and the server's peak RSS (VmHWM of /proc/PID/status after all runs; target <= 256 MiB).
# Exits 0 whether or not targets are met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: serve_bench.sh /path/to/tfjs-model [work-dir]}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v curl >/dev/null || { echo "serve_bench: needs curl" >&2; exit 1; }
# GiB: model, joined weights, store, a download, the cp copy
source "$here/bench_setup.sh"
bench_setup serve_bench 5 "${2:-}"

echo "== generating the 1 GiB model in $work"
[[ -f $work/model/model.json ]] || "$python" "$here/gen_model.py" "$work/model" 256 1024 1
big_bytes=$(( 256 * 1024 * 1024 * 4 ))
if [[ ! -f $work/www/joined/weights.bin ]]; then
    rm -rf "$work/www"; mkdir -p "$work/www"
    "$cli" copy "$work/model/model.json" "$work/www/joined" >/dev/null
fi
json="$work/www/joined/model.json"
weights="$work/www/joined/weights.bin"
rm -rf "$work/store" "$work/out"; mkdir -p "$work/out"

start_server serve 'serving http://127\.0\.0\.1:[0-9]+' "$cli" serve --store "$work/store" --token bench
serve_port=$port serve_pid=$pid
start_server static 'port [0-9]+' "$python" -u -m http.server 0 --bind 127.0.0.1 --directory "$work/www"
static_port=$port
start_server sink 'port [0-9]+' "$python" -u "$here/sink_server.py"
sink_port=$port

# timed CMD... : runs CMD; sets secs (wall clock).
timed() {
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/cmd.out" 2>"$work/cmd.err" ||
        { echo "serve_bench: failed: $*" >&2; cat "$work/cmd.err" "$work/cmd.out" >&2; exit 1; }
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mibs() { awk -v b="$big_bytes" -v s="$1" 'BEGIN {printf "%.0f", b / 1048576 / s}'; }
upload() {
    curl -sS --fail -o "$work/out/answer.json" -H 'Authorization: Bearer bench' \
        -F "model.json=@$json;type=application/json" \
        -F "model.weights.bin=@$weights;type=application/octet-stream" "$1"
}
download() {
    curl -sS --fail -o "$work/out/model.json" "$1/model.json"
    # Without $2, the weights model.json names (model.weights.TAG.bin), as TF.js fetches them.
    local name="${2:-$(grep -o 'model\.weights\.[0-9a-f]*\.bin' "$work/out/model.json" | head -1)}"
    curl -sS --fail -o "$work/out/weights.bin" "$1/$name"
}
settle() { rm -f "$work/out/weights.bin" "$work/out/copy.bin"; sync; sleep 1; }

echo "== save: 1 GiB multipart POST over loopback (median of 3)"
save_t=(); sink_t=(); cp_t=()
for i in 1 2 3; do
    # Each run a new path; the one before is deleted (to the store's trash) so the blob is new.
    settle; timed upload "http://127.0.0.1:$serve_port/models/bench/run$i"; save_t+=("$secs")
    grep -q '"url":"indexeddb://bench/run'"$i"'"' "$work/out/answer.json" ||
        { echo "serve_bench: save not stored: $(cat "$work/out/answer.json")" >&2; exit 1; }
    settle; timed upload "http://127.0.0.1:$sink_port/upload"; sink_t+=("$secs")
    settle; timed cp "$weights" "$work/out/copy.bin"; cp_t+=("$secs")
    if (( i < 3 )); then
        curl -sS --fail -o /dev/null -X DELETE -H 'Authorization: Bearer bench' \
            "http://127.0.0.1:$serve_port/models/bench/run$i"
        "$cli" trash empty --store "$work/store" >/dev/null
    fi
done
settle

echo "== load: model.json + 1 GiB weights over loopback (median of 3)"
load_t=(); static_t=()
for i in 1 2 3; do
    settle; timed download "http://127.0.0.1:$serve_port/models/bench/run3"
    load_t+=("$secs")
    if (( i == 1 )); then
        cmp "$work/out/weights.bin" "$weights" || { echo "serve_bench: served weights differ" >&2; exit 1; }
    fi
    settle; timed download "http://127.0.0.1:$static_port/joined" weights.bin; static_t+=("$secs")
done
settle
hwm_kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$serve_pid/status")

row() { printf '| %-46s | %7s s | %6s MiB/s |\n' "$1" "$2" "$(mibs "$2")"; }
echo
printf '| %-46s | %9s | %12s |\n' "1 GiB (median of 3)" "time" "throughput"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "-----------" "--------------"
row "save: curl -F to tfjs-model serve" "$(median "${save_t[@]}")"
row "  baseline: curl -F to a discarding sink" "$(median "${sink_t[@]}")"
row "  baseline: cp of the weights file" "$(median "${cp_t[@]}")"
row "load: curl GETs from tfjs-model serve" "$(median "${load_t[@]}")"
row "  baseline: curl GETs from python http.server" "$(median "${static_t[@]}")"
printf '\nserver peak RSS (VmHWM): %d MiB (target <= 256 MiB: %s)\n' "$(( hwm_kib / 1024 ))" \
    "$( (( hwm_kib <= 256 * 1024 )) && echo 'meets target' || echo 'MISSES target')"
