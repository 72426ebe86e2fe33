#!/usr/bin/env bash
# Runs `guichet --self-check` on the installed client (/usr/bin/guichet), or on the built
# bundle when the package is not installed. Extra arguments go to the self-check
# (e.g. --server-url https://… --ca-file …). On a headless machine (CI) with no D-Bus
# session, a throw-away session with an empty, unlocked gnome-keyring stands in for the
# officer's desktop vault; on a real PC the user's own session is used.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/build/packaging}"
guichet="${GUICHET:-}"
if [ -z "$guichet" ]; then
  if [ -x /usr/bin/guichet ]; then guichet=/usr/bin/guichet; else guichet="$out/dist/guichet/guichet"; fi
fi
echo "self-check of $guichet" >&2
if [ -z "${DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then export QT_QPA_PLATFORM=offscreen; fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v gnome-keyring-daemon >/dev/null; then
  # shellcheck disable=SC2016  # expanded by the inner shell, inside the new session
  exec dbus-run-session -- sh -c '
    eval "$(printf "" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
    export GNOME_KEYRING_CONTROL
    exec "$@"' sh "$guichet" --self-check "$@" 2> >(grep -v "Failed to set fd limit" >&2)
fi
exec "$guichet" --self-check "$@"
