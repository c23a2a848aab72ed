# Sourced by benchmarks (http_bench.sh, serve_bench.sh, diff_bench.sh, quantize_bench.sh) after `set -euo pipefail`:
#   bench_setup NAME GIB [WORK-DIR]
# sets `python` (a python3 with numpy), `pids` (background servers, killed on exit) and `work`
# (WORK-DIR, else a temporary folder removed on exit) with at least GIB GiB free; defines
# start_server.
bench_setup() {
    local name=$1 gib=$2
    python=python3
    if ! "$python" -c 'import numpy' 2>/dev/null; then
        python=/usr/bin/python3   # e.g. a pyenv python3 first on PATH without numpy
        "$python" -c 'import numpy' || { echo "$name: needs python3 with numpy" >&2; exit 1; }
    fi
    pids=()
    trap bench_cleanup EXIT
    if [[ -n ${3:-} ]]; then
        work="$3"; mkdir -p "$work"
    else
        work="$(mktemp -d "${TMPDIR:-/tmp}/tfjs-$name.XXXXXX")"
        tmpwork="$work"
    fi
    local need=$(( gib * 1024 * 1024 )) avail
    avail=$(df -Pk "$work" | awk 'NR==2 {print $4}')
    if (( avail < need )); then
        echo "$name: need ~$gib GiB free in $work, have $((avail / 1024)) MiB" >&2
        exit 1
    fi
}

# start_server NAME PATTERN CMD... : runs CMD in the background; waits for PATTERN (an ERE with
# the port as its last number) on its output; sets port and pid.
start_server() {
    local name=$1 pattern=$2 log="$work/$1.log"; shift 2
    : >"$log"   # no port of an earlier run's log
    "$@" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 200); do
        port=$(grep -oE "$pattern" "$log" | head -1 | grep -oE '[0-9]+$') || true
        [[ -n $port ]] && return 0
        sleep 0.1
    done
    echo "$name did not start:" >&2; cat "$log" >&2; exit 1
}
bench_cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -n ${tmpwork:-} ]]; then rm -rf "$tmpwork"; fi
}
