#!/usr/bin/env bash
# Dev-mode smoke test: the README's first command, as a newcomer runs it. Copies the project to a
# temporary folder (no target/, so no earlier build or embedded database helps), starts
# ./mvnw quarkus:dev there on a free port with no database configured, posts the Quickstart's
# contact, then edits a route file, breaks and mends it, and edits the model, checking that each
# edit shows in the next request without a restart. Exits non-zero on the first failed check.
# Usage: bash .ci/dev-mode-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/syncline-dev-smoke.XXXXXX")
port=$(shuf -i 20000-39999 -n 1)
base="http://127.0.0.1:$port"
passed=0
dev_pid=

log() { printf '[dev-mode-smoke] %s\n' "$*"; }

stop_dev_mode() {
    if [ -n "$dev_pid" ] && kill -0 "$dev_pid" 2>/dev/null; then
        kill -- "-$dev_pid" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 1; done
        kill -9 -- "-$dev_pid" 2>/dev/null || true
    fi
}

fail() {
    log "FAILED: $*"
    log "dev mode's output (last 60 lines of $work/dev.log):"
    tail -n 60 "$work/dev.log" || true
    printf 'dev-mode smoke: %d passed, 1 failed\n' "$passed"
    stop_dev_mode
    exit 1
}

pass() {
    passed=$((passed + 1))
    log "ok: $*"
}

# Polls until the command succeeds, at most $1 seconds.
await() {
    local seconds=$1
    shift
    for _ in $(seq 1 "$seconds"); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    return 1
}

post_contact() {
    curl -sS -X POST "$base/webhooks/demo/contacts" -H 'Content-Type: application/json' -d "$1"
}

listed() {
    curl -sfS "$base/demo/contacts" | grep -q "$1"
}

ready() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/q/health/ready")" = "$1" ]
}

trap stop_dev_mode EXIT

log "copying the project to $work"
tar --exclude=./target --exclude=./.git --exclude=./syncline-data -cf - . | (cd "$work" && tar -xf -)

log "starting ./mvnw quarkus:dev on port $port"
(cd "$work" && exec setsid ./mvnw -B quarkus:dev -Ddebug=false -Dquarkus.http.port="$port" \
    -Dquarkus.console.enabled=false </dev/null >"$work/dev.log" 2>&1) &
dev_pid=$!

started=$(date +%s)
await 300 ready 200 || fail "dev mode did not become ready within 300 s"
pass "ready after $(( $(date +%s) - started )) s"

answer=$(post_contact '{"id":"c-1001","email":" Ada@Example.COM ","firstName":"Ada","lastName":"Lovelace","phone":"020 7946 0018","company":{"name":"Analytical Engines Ltd"},"address":{"city":"London"},"lifecycleStage":"customer","updatedAt":"2024-03-01T10:30:00+01:00"}')
[ "$answer" = '{"status":"accepted","inboxId":1}' ] || fail "the Quickstart POST answered $answer"
await 30 listed '"email":"ada@example.com","first_name":"Ada"' || fail "the Quickstart contact did not land mapped"
pass "the Quickstart contact was accepted and landed mapped"

list_route="$work/routes/demo-contacts-list.camel.yaml"
original=$(cat "$list_route")
printf '# edited in dev mode\n%s\n' "${original/SELECT external_id, email, first_name/SELECT external_id, email, NULL AS first_name}" >"$list_route"
await 30 listed '"email":"ada@example.com","first_name":null' || fail "the edited route file was not reloaded"
post_contact '{"id":"c-1004","email":"charles@example.com","lastName":"Babbage"}' >/dev/null
await 30 listed '"external_id":"c-1004"' || fail "after a route file edit, the other routes stopped applying"
pass "an edited route file replaced its route; the other routes kept applying"

printf '%s\n' "${original/steps:/stepz:}" >"$list_route"
await 30 ready 503 || fail "a broken route file did not turn readiness DOWN"
curl -s "$base/q/health/ready" | grep -q 'demo-contacts-list.camel.yaml' || fail "readiness does not name the broken file"
printf '%s\n' "$original" >"$list_route"
await 30 ready 200 || fail "mending the route file did not bring readiness back UP"
await 30 listed '"first_name":"Ada"' || fail "the mended route file was not loaded"
pass "a broken route file turned readiness DOWN naming it; mending it brought the route back"

model="$work/routes/contacts.syncline.yaml"
sed -i 's/{field: lastName, path: last_name}/{field: lastName, path: last_name, transforms: [uppercase]}/' "$model"
grep -q 'path: last_name, transforms: \[uppercase\]' "$model" || fail "the model edit did not apply to $model"
edited() {
    post_contact "{\"id\":\"c-$RANDOM\",\"email\":\"alan.$RANDOM@example.com\",\"lastName\":\"Turing\"}" >/dev/null
    sleep 1
    listed '"last_name":"TURING"'
}
await 30 edited || fail "the model edit did not show in the next contact"
pass "a model edit showed in the next contact"

printf 'dev-mode smoke: %d passed, 0 failed\n' "$passed"
