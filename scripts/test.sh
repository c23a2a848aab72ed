#!/usr/bin/env bash
# The whole check, as CI runs it (README: `sudo bash scripts/test.sh`):
#   1. install dependencies;
#   2. build/        : default build, full ctest (Qt Test + TF.js interop);
#   3. build-asan/   : ASan+UBSan with the GUI, full ctest except the interop scripts;
#   4. build-nogui/  : GUI off (core, CLI and core tests only), ctest except interop;
#   5. build-fuzz/   : clang + libFuzzer, each fuzz target briefly (scripts/fuzz.sh).
# Stops at the first failure. When started through sudo, steps 2-5 run as the invoking user.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

skip_deps=0
[[ ${1:-} == --skip-deps ]] && skip_deps=1

step() { printf '\n==== %s (%s) ====\n' "$1" "$(date +%T)"; }

if (( ! skip_deps )); then
    step "install dependencies"
    bash scripts/install-deps.sh
    if [[ $EUID -eq 0 && -n ${SUDO_USER:-} && $SUDO_USER != root ]]; then
        exec sudo -u "$SUDO_USER" -H bash "$root/scripts/test.sh" --skip-deps
    fi
fi

export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8
jobs="${TFJS_JOBS:-2}"

step "build/ (default)"
bash scripts/build.sh build
step "ctest build/"
# tests/CMakeLists.txt registers the interop scripts only when CMake finds node: make a
# missing node a failure here rather than a silently shorter suite.
if ! (cd build && ctest -N -R '^interop_' | grep -q 'Total Tests: [1-9]'); then
    echo "test.sh: no interop_* tests registered in build/ (node not found when configuring?)" >&2
    exit 1
fi
(cd build && ctest --output-on-failure -j "$jobs")

step "build-asan/ (ASan + UBSan, GUI on)"
bash scripts/build.sh build-asan -DTFJS_SANITIZE=ON -DTFJS_BUILD_GUI=ON
step "ctest build-asan/ (without interop_ and browser tests)"
(cd build-asan &&
 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
 LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" \
 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
 ctest --output-on-failure -j "$jobs" -E interop_ -LE browser)

step "build-nogui/ (TFJS_BUILD_GUI=OFF: core, CLI, core tests)"
bash scripts/build.sh build-nogui -DTFJS_BUILD_GUI=OFF
step "ctest build-nogui/ (without interop_ and browser tests)"
(cd build-nogui && ctest --output-on-failure -j "$jobs" -E interop_ -LE browser)

# A cold clang build of core and the 16 targets (7.5 min on 2 busy cores, seconds with ccache)
# and 16 x 10 s of fuzzing: about 10 minutes. A long run: bash scripts/fuzz.sh 3600.
step "build-fuzz/ (clang, libFuzzer: every fuzz target 10 s)"
bash scripts/fuzz.sh 10

step "all checks passed"
