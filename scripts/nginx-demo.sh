#!/usr/bin/env bash
# Shows the shipped nginx configuration (deploy/nginx/pledgeboard.conf) balancing two
# instances on this machine: starts two demo instances and nginx, sends ten requests through
# nginx and prints which instance answered each. Needs nginx (apt-get install nginx-light).
# Stops everything at the end. Run from the project folder: bash scripts/nginx-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
tmp=$(mktemp -d)
cleanup() { kill "${pids[@]}" 2>/dev/null || true; [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
pids=()
npm run build --silent >/dev/null
for name in een twee; do
  port=$([ "$name" = een ] && echo 4321 || echo 4322)
  DEMO=1 PORT=$port HOST=127.0.0.1 TRUST_PROXY=1 INSTANCE_NAME=$name node src/server/entry.ts >"$tmp/$name.log" 2>&1 &
  pids+=($!)
done
for pair in een:4321 twee:4322; do
  name=${pair%%:*} port=${pair##*:}
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  # Make sure it is our instance that answers (and not something else on that port).
  if ! curl -s -D - -o /dev/null "http://127.0.0.1:$port/healthz" | tr -d '\r' | grep -qi "^x-served-by: $name$"; then
    echo "Instance $name did not start on port $port:" >&2; cat "$tmp/$name.log" >&2; exit 1
  fi
done
# A self-signed certificate for the HTTPS server block (curl -k below accepts it).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
sed -e 's/listen 80;/listen 127.0.0.1:8080;/' -e 's/listen 443 ssl/listen 127.0.0.1:8443 ssl/' \
  -e "s|ssl_certificate .*;|ssl_certificate $tmp/cert.pem;|" -e "s|ssl_certificate_key .*;|ssl_certificate_key $tmp/key.pem;|" \
  deploy/nginx/pledgeboard.conf >"$tmp/site.conf"
cat >"$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
  include $tmp/site.conf;
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf"
sleep 0.5
for i in $(seq 1 10); do
  printf 'request %2d: %s\n' "$i" "$(curl -sk -o /dev/null -D - https://127.0.0.1:8443/ | tr -d '\r' | awk -F': ' 'tolower($1)=="x-served-by"{print "served by " $2}')"
done
