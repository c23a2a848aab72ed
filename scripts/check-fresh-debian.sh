#!/usr/bin/env bash
# Proves the README's two commands on a fresh, minimal Debian 12: builds a root with
# `mmdebstrap --variant=minbase bookworm`, clones this checkout's HEAD into it and runs, as root
# and without sudo, exactly what the README says:
#   1. bash scripts/run.sh   (install, build, start the app; here with --screenshot FILE, so the
#                             app saves its window and exits, which proves it started)
#   2. bash scripts/test.sh  (install, build, every test)
# Not part of .ci/run: it downloads ~1 GiB of packages and builds three trees (about an hour on
# 2 cores). Usage, as root (or with sudo), on a Debian or Ubuntu machine with mmdebstrap:
#   bash scripts/check-fresh-debian.sh [--reuse] [WORKDIR]  (default /var/tmp/tfjs-fresh-debian)
# --reuse keeps the root a former run made (with the packages that run installed) and checks a
# new clone of HEAD in it: quicker, for a commit after one that passed from scratch.
# TFJS_DEBIAN_MIRROR overrides http://deb.debian.org. The root is kept for inspection; a second
# run starts from a new one. Logs: WORKDIR/run.log and WORKDIR/test.log.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reuse=0
[[ ${1:-} == --reuse ]] && { reuse=1; shift; }
work="${1:-/var/tmp/tfjs-fresh-debian}"
mirror="${TFJS_DEBIAN_MIRROR:-http://deb.debian.org}"
chroot_dir="$work/root"
checkout=/root/tfjs-model-manager

say() { printf '\n==== %s (%s) ====\n' "$1" "$(date +%T)"; }

if [[ $EUID -ne 0 ]]; then
    echo "check-fresh-debian: run as root (mmdebstrap and chroot need it)" >&2
    exit 1
fi
command -v mmdebstrap >/dev/null || {
    echo "check-fresh-debian: needs mmdebstrap (apt-get install mmdebstrap)" >&2
    exit 1
}
if [[ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]]; then
    echo "check-fresh-debian: note: uncommitted changes are not checked (HEAD is cloned)" >&2
fi
rev="$(git -C "$repo" rev-parse HEAD)"

mounted=()
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount -l "${mounted[i]}" 2>/dev/null || true
    done
}
trap cleanup EXIT

# A root left mounted by a killed run must not take /dev or /sys with it.
if grep -q " $chroot_dir/" /proc/mounts; then
    echo "check-fresh-debian: $chroot_dir still has file systems mounted; unmount them first" >&2
    exit 1
fi
if (( reuse )) && [[ -x $chroot_dir/usr/bin/apt-get ]]; then
    say "reusing the root in $chroot_dir (made by an earlier run)"
    rm -rf --one-file-system "$chroot_dir$checkout"
else
    say "fresh Debian 12 minbase root in $chroot_dir"
    rm -rf --one-file-system "$chroot_dir"
    mkdir -p "$work"
    mmdebstrap --variant=minbase --mode=root bookworm "$chroot_dir" \
        "deb $mirror/debian bookworm main" \
        "deb $mirror/debian bookworm-updates main" \
        "deb $mirror/debian-security bookworm-security main"
fi

say "clone $rev into $checkout"
git clone --quiet --no-hardlinks "$repo" "$chroot_dir$checkout"
git -C "$chroot_dir$checkout" checkout --quiet "$rev"

for fs in proc sys dev dev/pts dev/shm; do
    mkdir -p "$chroot_dir/$fs"
    case $fs in
        proc) mount -t proc proc "$chroot_dir/proc" ;;
        dev/shm) mount -t tmpfs tmpfs "$chroot_dir/dev/shm" ;;
        *) mount --bind "/$fs" "$chroot_dir/$fs" ;;
    esac
    mounted+=("$chroot_dir/$fs")
done
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf" 2>/dev/null || true
# Some networks (this workplace's among them) intercept TLS with a CA of their own, which the
# host trusts: hand the host's CA bundle to node/npm in the root, as the host's own environment
# does. Nothing else of the host goes in.
extra_ca=()
if [[ -n ${NODE_EXTRA_CA_CERTS:-} && -f $NODE_EXTRA_CA_CERTS ]]; then
    cp "$NODE_EXTRA_CA_CERTS" "$chroot_dir/root/host-ca.crt"
    extra_ca=(NODE_EXTRA_CA_CERTS=/root/host-ca.crt)
fi

# A clean environment, as a root login on a new machine would have.
in_root() {
    chroot "$chroot_dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 "${extra_ca[@]}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd $checkout && $1"
}

status=0
run_result=FAILED
say "README command 1: bash scripts/run.sh (--screenshot /root/run-screenshot.png)"
start=$SECONDS
if in_root "bash scripts/run.sh --screenshot /root/run-screenshot.png" 2>&1 | tee "$work/run.log"; then
    if [[ -s $chroot_dir/root/run-screenshot.png ]]; then
        cp "$chroot_dir/root/run-screenshot.png" "$work/run-screenshot.png"
        echo "check-fresh-debian: the app started and saved $work/run-screenshot.png"
        run_result=passed
    else
        echo "check-fresh-debian: run.sh returned but the app saved no screenshot" >&2
        status=1
    fi
else
    echo "check-fresh-debian: run.sh failed" >&2
    status=1
fi
run_time=$((SECONDS - start))

say "README command 2: bash scripts/test.sh"
start=$SECONDS
if in_root "bash scripts/test.sh" 2>&1 | tee "$work/test.log"; then
    test_result=passed
else
    test_result=FAILED
    status=1
fi
test_time=$((SECONDS - start))

say "summary"
echo "commit $rev on Debian $(cat "$chroot_dir/etc/debian_version") (minbase$( ((reuse)) && echo ", root reused"))"
echo "run.sh: $run_result in ${run_time}s"
echo "test.sh: $test_result in ${test_time}s"
grep -E '^(100% tests passed|[0-9]+% tests passed|==== all checks passed)' "$work/test.log" || true
exit $status
