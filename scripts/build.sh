#!/usr/bin/env bash
# Configures (Ninja, ccache when present) and builds. Usage:
#   scripts/build.sh [build-dir] [extra cmake args...]      (build-dir defaults to build/)
# Relative build dirs are relative to the repository root. TFJS_JOBS overrides the 2 jobs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir="${1:-build}"
(( $# > 0 )) && shift

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # Paths relative to the checkout, so clones in other folders (CI) share cache entries.
    export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
fi
cmake -S "$root" -B "$dir" -G Ninja "${launcher[@]}" "$@"
cmake --build "$dir" -j "${TFJS_JOBS:-2}"
