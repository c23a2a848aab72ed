#!/usr/bin/env bash
# Installs the build/test dependencies: the Debian packages in scripts/debian-packages.txt
# (needs root; uses sudo otherwise), then the interop tests' npm packages (tests/interop).
# apt is skipped when every package is already installed (TFJS_FORCE_APT=1 forces it);
# nodejs/npm are skipped when node >= 18 is on PATH; `npm ci` is skipped when node_modules
# was installed from the current package-lock.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "install-deps: need root or sudo to run: $*" >&2; exit 1
    fi
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

packages=()
while read -r line; do
    pkg="${line%%#*}"; pkg="${pkg//[[:space:]]/}"
    [[ -z $pkg ]] && continue
    if [[ $pkg == nodejs || $pkg == npm ]] && (( $(node_major) >= 18 )) &&
       command -v npm >/dev/null; then
        continue
    fi
    packages+=("$pkg")
done < "$root/scripts/debian-packages.txt"

missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if (( ${#missing[@]} == 0 )) && [[ -z ${TFJS_FORCE_APT:-} ]]; then
    echo "install-deps: all ${#packages[@]} Debian packages already installed"
else
    echo "install-deps: installing ${missing[*]:-${packages[*]}}"
    export DEBIAN_FRONTEND=noninteractive
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${packages[@]}"
fi

# npm packages for tests/interop, installed as the invoking user when run through sudo so the
# checkout does not end up with root-owned files.
interop="$root/tests/interop"
stamp="$interop/node_modules/.installed-lock.sha256"
want="$(sha256sum "$interop/package-lock.json" | cut -d' ' -f1)"
if [[ -f $stamp && "$(cat "$stamp")" == "$want" && -d $interop/node_modules/@tensorflow/tfjs ]]
then
    echo "install-deps: tests/interop/node_modules is up to date"
else
    as_user=()
    if [[ $EUID -eq 0 && -n ${SUDO_USER:-} && $SUDO_USER != root ]]; then
        as_user=(sudo -u "$SUDO_USER" -H)
    fi
    echo "install-deps: npm ci in tests/interop"
    (cd "$interop" && "${as_user[@]}" npm ci --no-audit --no-fund --loglevel=error &&
     "${as_user[@]}" sh -c "echo $want > node_modules/.installed-lock.sha256")
fi
