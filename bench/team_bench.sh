#!/usr/bin/env bash
# Benchmark (not a test) of the team store (team://) on a throwaway PostgreSQL cluster. Usage:
#   bench/team_bench.sh /path/to/tfjs-model [work-dir]
# Starts a cluster (initdb + pg_ctl in work-dir, Unix socket only, the server's defaults; as
# `nobody` when run as root), generates a 1 GiB model (bench/gen_model.py) and prints, each
# against psql's large-object commands on the same server and the same bytes:
#   - save: `tfjs-model copy big/model.json team://big` (weights not in the store yet)
#           vs `\lo_import weights.bin`                               target >= 0.5x throughput
#   - load: `tfjs-model copy team://big DIR` (a file:// folder)
#           vs `\lo_export OID file`                                  target >= 0.5x throughput
#   - peak RSS of both (GNU time)                                     target <= 256 MiB
#   - list: `tfjs-model list team://` of a store with 100,000 models  target < 500 ms
# Medians of 3. Exits 0 whether or not targets are met; non-zero only if a command fails.
set -euo pipefail
cli="${1:?usage: team_bench.sh /path/to/tfjs-model [work-dir]}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/bench_setup.sh"
bench_setup team_bench 4 "${2:-}"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $bin/initdb ]] || { echo "team_bench: PostgreSQL's initdb not found (postgresql-15)" >&2; exit 1; }
pg="$work/pg"; mkdir -p "$pg/sock"
as_server=()
if [[ $EUID -eq 0 ]]; then chown -R nobody "$pg"; chmod 755 "$work"; as_server=(runuser -u nobody --); fi
"${as_server[@]}" "$bin/initdb" -D "$pg/data" -U tfjs --auth=trust -N -E UTF8 --locale=C >/dev/null
"${as_server[@]}" "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -o "-k $pg/sock -c listen_addresses=" start >/dev/null
stop_cluster() { "${as_server[@]}" "$bin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true; bench_cleanup; }
trap stop_cluster EXIT
"$bin/psql" -X -q "postgresql:///postgres?host=$pg/sock&user=tfjs" -c "CREATE DATABASE models"
uri="postgresql:///models?host=$pg/sock&user=tfjs"
export TFJS_TEAM="$uri"
psql_() { "$bin/psql" -X -q -A -t "$uri" "$@"; }
team() { "$cli" "$@" --no-progress; }

echo "== generating a 1 GiB model in $work"
"$python" "$here/gen_model.py" "$work/big" 256 1024 1
big_bytes=$(( 256 * 1024 * 1024 * 4 ))
"$python" - "$work/big" "$work/weights.bin" <<'PY'
import json, os, sys
d, out = sys.argv[1], sys.argv[2]
with open(out, "wb") as o:
    for p in json.load(open(os.path.join(d, "model.json")))["weightsManifest"][0]["paths"]:
        o.write(open(os.path.join(d, p), "rb").read())
PY

now() { echo "${EPOCHREALTIME/[.,]/}"; }
time_us() {
    local t0 t1
    t0=$(now)
    "$@" >/dev/null || { echo "team_bench: failed: $*" >&2; exit 1; }
    t1=$(now)
    echo $(( t1 - t0 ))
}
rss_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { awk -v us="$1" 'BEGIN {printf "%.1f ms", us / 1000}'; }
mibs() { awk -v b="$big_bytes" -v us="$1" 'BEGIN {printf "%.0f", b / 1048576 / (us / 1e6)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" -v op="$3" 'BEGIN {
    ok = (op == "<=") ? (r <= t) : (r >= t); print ok ? "meets target" : "MISSES target"}'; }
fresh_store() { team remove team://big >/dev/null 2>&1 || true; team trash empty team:// >/dev/null 2>&1 || true; }

echo "== save: copy big/model.json team://big vs \\lo_import of the same bytes (median of 3)"
save_t=(); imp_t=()
for i in 1 2 3; do
    fresh_store; sync
    save_t+=("$(time_us team copy "$work/big/model.json" team://big)")
    sync
    imp_t+=("$(time_us psql_ -c "\\lo_import $work/weights.bin")")
    psql_ -c "SELECT lo_unlink(oid) FROM pg_largeobject_metadata" >/dev/null
done
fresh_store
save_rss=$(rss_kib "$cli" copy --no-progress "$work/big/model.json" team://big)
save_m=$(median "${save_t[@]}"); imp_m=$(median "${imp_t[@]}")
r=$(ratio "$imp_m" "$save_m")
printf '  save              : %s, %s MiB/s, peak RSS %s MiB\n' "$(ms "$save_m")" "$(mibs "$save_m")" $(( save_rss / 1024 ))
printf '  \\lo_import        : %s, %s MiB/s\n' "$(ms "$imp_m")" "$(mibs "$imp_m")"
printf '  ratio save/import : %sx throughput (target >= 0.5x: %s); RSS target <= 256 MiB: %s\n' \
    "$r" "$(verdict "$r" 0.5 '>=')" "$(verdict $(( save_rss / 1024 )) 256 '<=')"

echo "== load: copy team://big DIR vs \\lo_export of the same bytes (median of 3)"
oid=$(psql_ -c "\\lo_import $work/weights.bin" | awk '{print $2}')
[[ -n $oid ]] || oid=$(psql_ -c "SELECT max(oid) FROM pg_largeobject_metadata")
load_t=(); exp_t=()
for i in 1 2 3; do
    rm -rf "$work/out" "$work/out.bin"; sync
    load_t+=("$(time_us team copy team://big "$work/out")")
    if (( i == 1 )); then
        cmp -s "$work/out/weights.bin" "$work/weights.bin" || { echo "team_bench: loaded weights differ" >&2; exit 1; }
    fi
    sync
    exp_t+=("$(time_us psql_ -c "\\lo_export $oid $work/out.bin")")
done
rm -rf "$work/out"
load_rss=$(rss_kib "$cli" copy --no-progress team://big "$work/out")
load_m=$(median "${load_t[@]}"); exp_m=$(median "${exp_t[@]}")
r=$(ratio "$exp_m" "$load_m")
printf '  load              : %s, %s MiB/s, peak RSS %s MiB\n' "$(ms "$load_m")" "$(mibs "$load_m")" $(( load_rss / 1024 ))
printf '  \\lo_export        : %s, %s MiB/s\n' "$(ms "$exp_m")" "$(mibs "$exp_m")"
printf '  ratio load/export : %sx throughput (target >= 0.5x: %s); RSS target <= 256 MiB: %s\n' \
    "$r" "$(verdict "$r" 0.5 '>=')" "$(verdict $(( load_rss / 1024 )) 256 '<=')"

echo "== list: a team store with 100,000 models (median of 3)"
team copy "$work/big/model.json" team://seed --overwrite >/dev/null
psql_ -c "INSERT INTO tfjs.models (modelPath, modelArtifacts, modelArtifactsInfo, weightDataBlob,
          weightDataBytes, savedBy) SELECT 'bench/model-' || lpad(i::text, 6, '0'), modelArtifacts,
          modelArtifactsInfo, weightDataBlob, weightDataBytes, savedBy FROM tfjs.models,
          generate_series(1, 99998) AS i WHERE modelPath = 'seed'" >/dev/null
count=$(psql_ -c "SELECT count(*) FROM tfjs.models")
list_t=(); json_t=()
for i in 1 2 3; do
    list_t+=("$(time_us team list team://)")
    json_t+=("$(time_us team list team:// --json)")
done
list_m=$(median "${list_t[@]}")
printf '  list (%s models) : %s (target < 500 ms: %s); --json %s\n' "$count" "$(ms "$list_m")" \
    "$(verdict "$list_m" 500000 '<=')" "$(ms "$(median "${json_t[@]}")")"
