#!/usr/bin/env bash
# Benchmark (not a test) of reading browser profiles. Usage:
#   bench/browser_bench.sh /path/to/tfjs-model [work-dir]
# Headless Firefox and Chromium run the tests' save page with ?many=100&big=100: a profile
# holding 107 models in IndexedDB (5 more in localStorage) and one of 100 MiB. Then, per browser:
#   - list:   `tfjs-model list <browser>:///PROFILE --json`             target < 1 s
#   - export: `tfjs-model copy <the 100 MiB model's URL> DIR` vs `cp -r` of the profile's
#             folder                                                     target <= 2x cp
# Best of 3; page caches warm for both sides. A work-dir that holds profiles from an earlier run
# is reused. Exits 0 whether or not targets are met; non-zero
# only if a command fails.
set -euo pipefail
cli="${1:?usage: browser_bench.sh /path/to/tfjs-model [work-dir]}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${2:-$(mktemp -d "${TMPDIR:-/tmp}/tfjs-browser-bench.XXXXXX")}"
[[ -z ${2:-} ]] && trap 'rm -rf "$work"' EXIT
page="file://$root/tests/browsers/savepage/savepage.html?many=100&big=100"
mkdir -p "$work"

best() { # best of 3 wall times (seconds) of a shell command
    python3 -c 'import subprocess, sys, time
times = []
for _ in range(3):
    start = time.monotonic()
    subprocess.run(["bash", "-c", sys.argv[1]], check=True, stdout=subprocess.DEVNULL)
    times.append(time.monotonic() - start)
print(min(times))' "$1"
}

peak_rss() { # peak resident set of a command, MiB (file pages it maps count too)
    python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"
}

measure() { # scheme profile-url folder-to-cp
    local scheme=$1 url=$2 folder=$3
    local list_time count big
    list_time=$(best "'$cli' list '$url' --json")
    "$cli" list "$url" --json > "$work/$scheme-list.json"
    count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/$scheme-list.json")
    big=$(python3 -c 'import json,sys; print([k for k in json.load(open(sys.argv[1])) if k.endswith("&model=big")][0])' "$work/$scheme-list.json")
    rm -rf "$work/$scheme-export" "$work/$scheme-cp"
    local export_time cp_time
    export_time=$(best "rm -rf '$work/$scheme-export' && '$cli' copy '$big' '$work/$scheme-export'")
    cp_time=$(best "rm -rf '$work/$scheme-cp' && cp -r '$folder' '$work/$scheme-cp'")
    rm -rf "$work/$scheme-export"
    local rss
    rss=$(peak_rss "$cli" copy "$big" "$work/$scheme-export")
    printf '%s: list %d models in %.3f s (target < 1 s); export of the 100 MiB model %.3f s (peak RSS %s MiB), cp -r of the profile %.3f s (%s MiB): %.2fx (target <= 2x)\n' \
        "$scheme" "$count" "$list_time" "$export_time" "$rss" "$cp_time" \
        "$(du -sm "$folder" | cut -f1)" "$(python3 -c "print($export_time / $cp_time)")"
}

if [[ -d $work/chromium/Default && -d $work/firefox/storage ]]; then
    echo "browser_bench: reusing the profiles in $work"
else
    echo "browser_bench: making the profiles in $work (Chromium, then Firefox)"
    chromium --headless=new --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
        --user-data-dir="$work/chromium" "$page" >/dev/null 2>&1
    mkdir -p "$work/firefox"
    cp "$root/tests/browsers/savepage/firefox-user.js" "$work/firefox/user.js"
    firefox-esr -headless -no-remote -profile "$work/firefox" "$page" >/dev/null 2>&1
fi

measure chromium "chromium://$work/chromium/Default" "$work/chromium/Default"
measure firefox "firefox://$work/firefox" "$work/firefox"
