#!/usr/bin/env bash
# Builds build-fuzz/ (clang, TFJS_FUZZ=ON: core and fuzz/ with libFuzzer, ASan and UBSan) and
# runs every fuzz target for SECONDS (default 15) on a copy of its seeds, fuzz/corpus/<target>/
# (the repository is never written). Fails on the first crash, leak, timeout or OOM and prints
# the reproducer, kept in build-fuzz/fuzz-findings/<target>/. Usage:
#   scripts/fuzz.sh [seconds-per-target] [target...]     (targets: model_json, idbkey, ...)
# A longer run: bash scripts/fuzz.sh 3600
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-15}"
(( $# > 0 )) && shift

CC=clang CXX=clang++ bash scripts/build.sh build-fuzz -DTFJS_FUZZ=ON

# The longest input each target is given: keys and framing are short; JSON and record values
# need room for a model's topology and a few tensors.
max_len() {
    case $1 in
        idbkey|firefoxkey) echo 512 ;;
        http_response|leveldblog|snappydecode|weights_manifest) echo 4096 ;;
        *) echo 16384 ;;
    esac
}

targets=("$@")
if (( ${#targets[@]} == 0 )); then
    for source in fuzz/fuzz_*.cpp; do
        name=$(basename "$source" .cpp)
        targets+=("${name#fuzz_}")
    done
fi

work="$root/build-fuzz/fuzz-work"
findings="$root/build-fuzz/fuzz-findings"
mkdir -p "$work" "$findings"
status=0
for target in "${targets[@]}"; do
    corpus="$work/$target"
    rm -rf "$findings/$target" "$corpus"
    mkdir -p "$corpus" "$findings/$target"
    cp -r "fuzz/corpus/$target/." "$corpus/"
    if [[ -d fuzz/regressions/$target ]]; then
        cp -r "fuzz/regressions/$target/." "$corpus/"
    fi
    printf '== fuzz_%s: %s s\n' "$target" "$seconds"
    # Allocations beyond 1 GiB, or 2 GiB resident, are findings (a parser that sizes a buffer
    # from a count in its input); so is an input that takes longer than 20 s.
    if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
         LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" \
         UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
         "build-fuzz/bin/fuzz_$target" "$corpus" \
             -max_total_time="$seconds" -max_len="$(max_len "$target")" \
             -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 -print_final_stats=1 \
             -artifact_prefix="$findings/$target/" >"$work/$target.log" 2>&1; then
        status=1
        tail -n 60 "$work/$target.log"
        for artifact in "$findings/$target"/*; do
            [[ -e $artifact ]] && printf 'fuzz.sh: fuzz_%s failed; reproduce with\n  build-fuzz/bin/fuzz_%s %s\n' \
                "$target" "$target" "$artifact"
        done
        continue
    fi
    grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$work/$target.log" \
        | tr '\n' ' '
    echo
done
if (( status )); then
    echo "fuzz.sh: a target failed (above); each reproducer goes into fuzz/regressions/<target>/" >&2
fi
exit "$status"
