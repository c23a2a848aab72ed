#!/usr/bin/env bash
# Installs dependencies, builds build/ and starts the desktop app (arguments are passed on).
# Without a display it runs under xvfb-run. When started through sudo, the build and the app
# run as the invoking user.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ${1:-} == --skip-deps ]]; then
    shift
else
    bash scripts/install-deps.sh
    if [[ $EUID -eq 0 && -n ${SUDO_USER:-} && $SUDO_USER != root ]]; then
        exec sudo -u "$SUDO_USER" -H --preserve-env=DISPLAY,WAYLAND_DISPLAY,XAUTHORITY \
            bash "$root/scripts/run.sh" --skip-deps "$@"
    fi
fi

bash scripts/build.sh build
app="$root/build/bin/tfjs-manager"
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} && -z ${QT_QPA_PLATFORM:-} ]]; then
    echo "run: no display; starting under xvfb-run" >&2
    exec xvfb-run -a "$app" "$@"
fi
exec "$app" "$@"
