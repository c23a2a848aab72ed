#!/usr/bin/env bash
# Benchmark (not a test): does an operation on the indexeddb:// store cost more when the store
# holds 1 TiB of weights than when it holds 1 GiB? Usage: store_size_bench.sh TFJS_MODEL
#
# Two stores of 1,024 models, each model with its own weight blob: of 1 MiB in the small store
# (1 GiB in all), of 1 GiB in the large one (1 TiB). The same counts of models and blobs, so
# only the bytes differ (what grows with the count of models is bench-scale's). Those blobs are
# sparse files under made-up names, their rows written into the store's SQLite database
# directly (real ones would need 1 TiB of disk and an hour of hashing): no measured operation
# reads them, which is the point. In each store, five times (alternating
# stores), with a different 64 MiB model each time, the `tfjs-model` process is timed for: save
# (from a folder), list, load (to a folder), copy and rename inside the store, remove (to the
# trash), and emptying the trash (which sweeps the blob folder). Prints the medians and the
# large store's time over the small one's (target: no more, within noise). Exits 0 whether or
# not the target is met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: store_size_bench.sh /path/to/tfjs-model}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python=python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
    python=/usr/bin/python3
    "$python" -c 'import numpy' || { echo "store_size_bench: needs python3 with numpy" >&2; exit 1; }
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/tfjs-store-size-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

runs=5
echo "== $runs models of 64 MiB in $work"
for i in $(seq 1 $runs); do "$python" "$here/gen_model.py" "$work/m$i" 4 2048 "$i"; done

# A store holding one small real model, then 1,024 models on sparse blob files of BYTES each.
make_store() {
    local store=$1 bytes=$2
    "$cli" copy "file://$work/m1" indexeddb://seed --store "$store" --no-progress >/dev/null
    "$python" - "$store" "$bytes" <<'EOF'
import hashlib, json, os, sqlite3, sys
store, size = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(os.path.join(store, "tensorflowjs.sqlite"))
topology = {"class_name": "Sequential", "config": {"name": "big", "layers": []}}
for i in range(1024):
    blob = hashlib.sha256(b"made-up blob %d %d" % (size, i)).hexdigest()
    folder = os.path.join(store, "tensorflowjs.blobs", blob[:2])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, blob), "wb") as f:
        f.truncate(size)
    name = "big/model-%04d" % i
    artifacts = {"modelTopology": topology,
                 "weightSpecs": [{"name": "w", "shape": [size // 4], "dtype": "float32"}]}
    info = {"dateSaved": "2026-01-01T00:00:00.000Z", "modelTopologyType": "JSON",
            "modelTopologyBytes": len(json.dumps(topology, separators=(",", ":"))),
            "weightSpecsBytes": len(json.dumps(artifacts["weightSpecs"], separators=(",", ":"))),
            "weightDataBytes": size}
    db.execute("INSERT INTO models_store VALUES (?, ?, ?, ?, ?)",
               (name, json.dumps(artifacts), json.dumps(info), blob, size))
    db.execute("INSERT INTO model_info_store VALUES (?, ?)", (name, json.dumps(info)))
db.commit()
EOF
}
small="$work/store-1GiB"
large="$work/store-1TiB"
make_store "$small" $(( 1 << 20 ))
make_store "$large" $(( 1 << 30 ))
echo "== stores of 1,025 models: $(du -sh --apparent-size "$small" | cut -f1) and $(du -sh --apparent-size "$large" | cut -f1) apparent, $(du -sh "$large" | cut -f1) on disk"

now() { echo "${EPOCHREALTIME/[.,]/}"; } # microseconds
declare -A times
ops=(save list load copy rename remove empty-trash)
timed() { # timed OP STORE ARGS...
    local op=$1 store=$2 t0 t1
    shift 2
    t0=$(now)
    "$cli" "$@" --store "$store" --no-progress >/dev/null
    t1=$(now)
    times[$op,$store]+="$(( t1 - t0 )) "
}
for i in $(seq 1 $runs); do
    for store in "$small" "$large"; do
        sync
        timed save "$store" copy "file://$work/m$i" "indexeddb://new$i"
        timed list "$store" list indexeddb://
        timed load "$store" copy "indexeddb://new$i" "file://$work/out"
        rm -rf "$work/out"
        timed copy "$store" copy "indexeddb://new$i" "indexeddb://copy$i"
        timed rename "$store" move "indexeddb://copy$i" "indexeddb://moved$i"
        timed remove "$store" remove "indexeddb://moved$i"
        timed empty-trash "$store" trash empty
    done
done

median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-12s %12s %12s %8s\n' operation "1 GiB store" "1 TiB store" ratio
for op in "${ops[@]}"; do
    a=$(median "${times[$op,$small]}")
    b=$(median "${times[$op,$large]}")
    awk -v op="$op" -v a="$a" -v b="$b" \
        'BEGIN {printf "%-12s %9.1f ms %9.1f ms %7.2fx\n", op, a / 1000, b / 1000, b / a}'
done
echo "(target: the 1 TiB store's times within noise of the 1 GiB store's)"
