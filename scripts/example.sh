#!/usr/bin/env bash
# The main job, end to end: start an engine if none runs, build the frontend
# image, build an example app with nothing but a `# syntax=` stub, run it.
# Usage: npm run example [-- APP_DIR]   (default: fixtures/go-hello)
set -euo pipefail
cd "$(dirname "$0")/.."
app="$(realpath "${1:-fixtures/go-hello}")"
bash scripts/engine/up.sh
bash scripts/frontend-image.sh
node scripts/standins.mjs "$app"
stub="$(mktemp -d)"
echo "# syntax=miget/migetpacks-frontend:dev" > "$stub/Dockerfile"
tag="migetpacks-example/$(basename "$app" | tr 'A-Z' 'a-z'):latest"
docker buildx build --load -t "$tag" -f "$stub/Dockerfile" "$app"
port="$(docker inspect "$tag" --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}}' | cut -d/ -f1)"
id="$(docker run -d -p "127.0.0.1::${port:-5000}" "$tag")"
trap 'docker rm -f "$id" >/dev/null' EXIT
addr="$(docker port "$id" "${port:-5000}/tcp" | head -n1)"
for _ in $(seq 1 60); do
  if body="$(curl -fsS "http://$addr/" 2>/dev/null)"; then
    echo "$tag answered on http://$addr/ :"
    echo "$body"
    exit 0
  fi
  sleep 0.5
done
echo "$tag did not answer on http://$addr/; container logs:" >&2
docker logs "$id" >&2
exit 1
