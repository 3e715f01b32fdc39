#!/usr/bin/env bash
# Start-up time (process start -> /q/health/ready answers 200) and idle RSS of the packaged
# application in JVM mode, against the local PostgreSQL. Each run starts the application the
# way the JVM image does: from target/quarkus-app, with its AppCDS archive (app-cds.jsa) when
# the build made one. The builds this script makes have one (BENCH_APPCDS=false: none), as the
# JVM image makes its own.
# Usage: bench/startup.sh [runs (5)] [revision]
#   With a revision, that revision is built in a throwaway worktree under /tmp and each run
#   starts both builds, this checkout first: on a machine whose speed drifts within the hour,
#   pairs run back to back compare better than two series apart.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
REVISION=${2:-}
DATABASE=syncline_bench_startup
PORT=${BENCH_PORT:-18080}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-15}
WORKTREE=${BENCH_COMPARE_DIR:-/tmp/syncline-startup-compare}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}

APPCDS=${BENCH_APPCDS:-true}
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.appcds.enabled="$APPCDS"
builds=("$PWD/target/quarkus-app")
if [ -n "$REVISION" ]; then
    git worktree remove --force "$WORKTREE" 2>/dev/null || rm -rf "$WORKTREE"
    git worktree add -q --detach "$WORKTREE" "$REVISION"
    trap 'git worktree remove --force "$WORKTREE"' EXIT
    echo "building $REVISION in $WORKTREE"
    (cd "$WORKTREE" && ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.appcds.enabled="$APPCDS")
    builds+=("$WORKTREE/target/quarkus-app")
fi

now_ms() { date +%s%3N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One start of the build in $1: prints "<ready ms> <idle RSS kB>".
start_once() {
    local dir=$1 log=$2 start pid archive=()
    [ -f "$dir/app-cds.jsa" ] && archive=(-XX:SharedArchiveFile=app-cds.jsa)
    start=$(now_ms)
    (cd "$dir" && exec env \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$DATABASE" \
        QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
        SYNCLINE_ADMIN_PASSWORD=bench-only \
        SYNCLINE_CONSOLE_SESSION_KEY=bench-only-console-session-key \
        SYNCLINE_PRIVACY_DIGEST_KEY=bench-only-digest-key \
        QUARKUS_HTTP_PORT=$PORT \
        java "${archive[@]}" -jar quarkus-run.jar) > "$log" 2>&1 &
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready")" = "200" ]; do
        kill -0 "$pid" 2>/dev/null || { echo "the application exited; see $log" >&2; exit 1; }
        sleep 0.02
    done
    local ready=$(( $(now_ms) - start ))
    sleep "$IDLE_SECONDS"
    local rss
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$ready $rss"
}

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
# the first start migrates the fresh database; it is not counted
start_once "${builds[0]}" target/bench-startup-migrate.log > /dev/null

declare -A ready_ms rss_kb
for run in $(seq 1 "$RUNS"); do
    for index in "${!builds[@]}"; do
        name=this; [ "$index" = 0 ] || name=$REVISION
        read -r ready rss < <(start_once "${builds[$index]}" "target/bench-startup-$index-$run.log")
        printf 'run %d, %s: ready after %d ms, idle RSS %d MiB\n' "$run" "$name" "$ready" $(( rss / 1024 ))
        ready_ms[$index]="${ready_ms[$index]:-} $ready"
        rss_kb[$index]="${rss_kb[$index]:-} $rss"
    done
done
for index in "${!builds[@]}"; do
    name=this; [ "$index" = 0 ] || name=$REVISION
    # shellcheck disable=SC2086
    printf 'median over %d runs, %s: ready after %d ms, idle RSS %d MiB (after %d s idle)\n' "$RUNS" "$name" \
        "$(median ${ready_ms[$index]})" $(( $(median ${rss_kb[$index]}) / 1024 )) "$IDLE_SECONDS"
done
