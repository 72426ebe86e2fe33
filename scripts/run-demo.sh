#!/usr/bin/env bash
# `make run`: the demo backend on loopback, seeded, then the counter client against it,
# already enrolled and with a demo officer's matricule pre-filled. Without a display the
# backend keeps serving in the foreground so the API and the CLI can be used.
set -euo pipefail
data_dir=${1:-var/demo}
shift || true
GUICHET_ARGS=("$@")  # passed on to the client (e.g. --camera PATH)
bin=.venv/bin
mkdir -p "$data_dir"
port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"

# The voter portal's identity provider, "FranceConnect — démonstration" (scripts/demo_idp.py).
idp_port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/python" -m scripts.demo_idp "$idp_port" >"$data_dir/idp.log" 2>&1 &
idp=$!

MPR_OIDC_ISSUER="http://127.0.0.1:$idp_port" MPR_OIDC_CLIENT_SECRET="$(head -c 24 /dev/urandom | base64)" \
  "$bin/guichet-backend" demo --data-dir "$data_dir/backend" --host 127.0.0.1 --port "$port" \
  >"$data_dir/backend.log" 2>&1 &
backend=$!
trap 'kill "$backend" "$idp" 2>/dev/null || true; wait "$backend" "$idp" 2>/dev/null || true' EXIT INT TERM

# The first run seeds the demo (a few hundred requests, about a minute on 2 cores); the
# backend answers /health only once it serves.
echo "Démarrage du backend de démonstration (la première fois, environ une minute)…"
ready=
for _ in $(seq 1 900); do
  if "$bin/python" -c "import httpx,sys; sys.exit(httpx.get('$server/health', timeout=1).status_code != 200)" 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$backend" 2>/dev/null || { echo "Le backend de démonstration n'a pas démarré : voir $data_dir/backend.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$ready" ] || { echo "Le backend de démonstration ne répond pas : voir $data_dir/backend.log" >&2; exit 1; }

"$bin/python" scripts/demo_banner.py "$data_dir/backend/demo.json" "$server"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Pas d'écran sur cette machine : le client ne peut pas s'ouvrir (essayez « xvfb-run make run » ou « make screenshots ») ; le backend reste à l'écoute sur $server, Ctrl+C pour l'arrêter."
  wait "$backend"
  exit 0
fi

"$bin/guichet" --server "$server" --data-dir "$data_dir/client" --demo "$data_dir/backend/demo.json" "${GUICHET_ARGS[@]}"
