#!/usr/bin/env bash
# Benchmark (not a test) of the http(s):// paths of the CLI over loopback. Usage:
#   bench/http_bench.sh /path/to/tfjs-model [work-dir]
# Generates a 1 GiB model (256 Dense kernels of 4 MiB, 256 shards of 4 MiB; bench/gen_model.py),
# serves it with `python3 -m http.server --bind 127.0.0.1`, and runs a sink server (reads and
# discards request bodies, answers 200) for uploads. Then, median of 3, alternating runs:
#   - load:   `tfjs-model copy URL DIR` vs `curl --parallel` fetching model.json and the 256
#             shards into files (both write 1 GiB to disk);
#   - upload: `tfjs-model copy DIR URL` (multipart, streamed from the 256 shard files) vs
#             `curl -F model.json=@... -F model.weights.bin=@weights.bin` (1 GiB file);
# and prints MiB/s, the ratio tfjs-model/curl (target >= 0.5x) and peak RSS (/usr/bin/time -v),
# with the upload's peak RSS above the CLI's idle RSS (target <= 256 MiB).
# Exits 0 whether or not targets are met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: http_bench.sh /path/to/tfjs-model [work-dir]}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in curl /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "http_bench: needs $tool" >&2; exit 1; }
done

# GiB: the model, its joined weights, one download, slack
source "$here/bench_setup.sh"
bench_setup http_bench 4 "${2:-}"

echo "== generating the 1 GiB model in $work"
[[ -f $work/www/big/model.json ]] || "$python" "$here/gen_model.py" "$work/www/big" 256 1024 1
"$python" "$here/gen_model.py" "$work/small" 256 32 2
big_bytes=$(( 256 * 1024 * 1024 * 4 ))
# curl's upload source: the joined weights and the JSON TF.js would send (sizes are what count).
rm -rf "$work/joined"
"$cli" copy "$work/www/big/model.json" "$work/joined" >/dev/null

start_server static 'port [0-9]+' "$python" -u -m http.server 0 --bind 127.0.0.1 --directory "$work/www"
static_port=$port
start_server sink 'port [0-9]+' "$python" -u "$here/sink_server.py"
sink_port=$port
model_url="http://127.0.0.1:$static_port/big/model.json"
upload_url="http://127.0.0.1:$sink_port/upload"

# measure CMD... : runs CMD under /usr/bin/time -v; sets wall_us and rss_kib.
measure() {
    local t="$work/time.txt"
    /usr/bin/time -v -o "$t" "$@" >"$work/out.txt" 2>"$work/err.txt" ||
        { echo "http_bench: failed: $*" >&2; cat "$work/err.txt" >&2; exit 1; }
    wall_us=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
        printf "%d", s * 1e6 }' "$t")
    rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mibs() { awk -v b="$big_bytes" -v us="$1" 'BEGIN {printf "%.0f", b / 1048576 / (us / 1e6)}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" -v op="$3" 'BEGIN {
    ok = (op == "<=") ? (r <= t) : (r >= t); print ok ? "meets target" : "MISSES target"}'; }

# Idle size: the CLI doing almost nothing (info on a small local model).
measure "$cli" info "$work/small/model.json"
idle_kib=$rss_kib

# curl's download list: model.json and every shard, each to its own file.
mapfile -t shards < <("$python" -c 'import json,sys
for g in json.load(open(sys.argv[1]))["weightsManifest"]:
    for p in g["paths"]: print(p)' "$work/www/big/model.json")
curl_list="$work/curl-get.cfg"
{
    echo "url = \"$model_url\""; echo "output = \"$work/out-curl/model.json\""
    for s in "${shards[@]}"; do
        echo "url = \"http://127.0.0.1:$static_port/big/$s\""; echo "output = \"$work/out-curl/$s\""
    done
} >"$curl_list"

echo "== load: 1 GiB over loopback (median of 3)"
ours_t=(); ours_rss=(); curl_t=(); curl_rss=()
for i in 1 2 3; do
    rm -rf "$work/out-http" "$work/out-curl"; sync; sleep 1   # nothing left to write back
    measure "$cli" copy "$model_url" "$work/out-http"
    ours_t+=("$wall_us"); ours_rss+=("$rss_kib")
    if (( i == 1 )); then
        cmp "$work/out-http/weights.bin" "$work/joined/weights.bin" ||
            { echo "http_bench: downloaded weights differ" >&2; exit 1; }
    fi
    rm -rf "$work/out-http"; sync; sleep 1
    mkdir -p "$work/out-curl"
    measure curl -sS --fail --parallel --parallel-max 4 -K "$curl_list"
    curl_t+=("$wall_us"); curl_rss+=("$rss_kib")
    rm -rf "$work/out-curl"
done
ot=$(median "${ours_t[@]}"); ct=$(median "${curl_t[@]}")
r=$(ratio "$(mibs "$ot")" "$(mibs "$ct")")
printf '  tfjs-model copy URL DIR : %s MiB/s, peak RSS %s\n' "$(mibs "$ot")" "$(mib "$(median "${ours_rss[@]}")")"
printf '  curl --parallel (4)     : %s MiB/s, peak RSS %s\n' "$(mibs "$ct")" "$(mib "$(median "${curl_rss[@]}")")"
printf '  ratio tfjs-model/curl   : %sx throughput (target >= 0.5x: %s)\n' "$r" "$(verdict "$r" 0.5 '>=')"

echo "== upload: 1 GiB multipart over loopback (median of 3)"
ours_t=(); ours_rss=(); curl_t=(); curl_rss=()
for i in 1 2 3; do
    measure "$cli" copy "$work/www/big/model.json" "$upload_url"
    ours_t+=("$wall_us"); ours_rss+=("$rss_kib")
    if (( i == 1 )); then
        grep -q "HTTP 200" "$work/out.txt" || { echo "http_bench: upload not answered 200" >&2; exit 1; }
        sent=$(grep -oE '"received": [0-9]+' "$work/out.txt" | awk '{print $2}')
        (( sent > big_bytes )) || { echo "http_bench: the sink got $sent bytes" >&2; exit 1; }
    fi
    measure curl -sS --fail -o /dev/null \
        -F "model.json=@$work/joined/model.json;type=application/json" \
        -F "model.weights.bin=@$work/joined/weights.bin;type=application/octet-stream" \
        "$upload_url"
    curl_t+=("$wall_us"); curl_rss+=("$rss_kib")
done
ot=$(median "${ours_t[@]}"); ct=$(median "${curl_t[@]}")
orss=$(median "${ours_rss[@]}")
r=$(ratio "$(mibs "$ot")" "$(mibs "$ct")")
over=$(( (orss - idle_kib) / 1024 ))
printf '  tfjs-model copy DIR URL : %s MiB/s, peak RSS %s\n' "$(mibs "$ot")" "$(mib "$orss")"
printf '  curl -F                 : %s MiB/s, peak RSS %s\n' "$(mibs "$ct")" "$(mib "$(median "${curl_rss[@]}")")"
printf '  ratio tfjs-model/curl   : %sx throughput (target >= 0.5x: %s)\n' "$r" "$(verdict "$r" 0.5 '>=')"
printf '  upload RSS above idle   : %s MiB (idle %s; target <= 256 MiB: %s)\n' "$over" \
    "$(mib "$idle_kib")" "$(verdict "$over" 256 '<=')"
