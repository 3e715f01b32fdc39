#!/usr/bin/env bash
# Start-up time (process start -> /q/health/ready answers 200) and idle RSS of the packaged
# application in JVM mode, against the local PostgreSQL.
# Usage: bench/startup.sh [runs]        (default 5 runs; builds the jar when it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
DATABASE=syncline_bench_startup
PORT=${BENCH_PORT:-18080}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-15}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"

now_ms() { date +%s%3N; }

ready_ms=()
rss_kb=()
for run in $(seq 1 "$RUNS"); do
    start=$(now_ms)
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$DATABASE" \
    QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
    SYNCLINE_ADMIN_PASSWORD=bench-only \
    SYNCLINE_CONSOLE_SESSION_KEY=bench-only-console-session-key \
    SYNCLINE_PRIVACY_DIGEST_KEY=bench-only-digest-key \
    QUARKUS_HTTP_PORT=$PORT \
        java -jar target/quarkus-app/quarkus-run.jar > "target/bench-startup-$run.log" 2>&1 &
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready")" = "200" ]; do
        kill -0 "$pid" 2>/dev/null || { echo "run $run: the application exited; see target/bench-startup-$run.log"; exit 1; }
        sleep 0.02
    done
    ready=$(( $(now_ms) - start ))
    sleep "$IDLE_SECONDS"
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    note=""; [ "$run" = 1 ] && note=" (fresh database: includes the Flyway migration)"
    printf 'run %d: ready after %d ms, idle RSS %d MiB%s\n' "$run" "$ready" $(( rss / 1024 )) "$note"
    ready_ms+=("$ready"); rss_kb+=("$rss")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median over %d runs: ready after %d ms, idle RSS %d MiB (after %d s idle)\n' "$RUNS" \
    "$(median "${ready_ms[@]}")" $(( $(median "${rss_kb[@]}") / 1024 )) "$IDLE_SECONDS"
