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
# BENCH_JDK=<JDK home> runs the builds on that JDK (default: the java on PATH). On JDK 24 or later
# each build gets an ahead-of-time cache (app.aot, JEP 483/514/515) made by that JDK's training
# run, as the JVM image makes it, instead of the AppCDS archive. BENCH_VERSUS_JDK=<JDK home> also
# starts this checkout's build on a second JDK in each run, alternating with the first.
# BENCH_TRAINED_APPCDS=true makes the AppCDS archive of a JDK before 24 by the same training run.
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

# Each variant: a build's folder and the JDK home it runs on ("" for the java on PATH).
dirs=("${builds[@]}")
jdks=()
for _ in "${builds[@]}"; do jdks+=("${BENCH_JDK:-}"); done
if [ -n "${BENCH_VERSUS_JDK:-}" ]; then
    dirs+=("${builds[0]}")
    jdks+=("$BENCH_VERSUS_JDK")
fi

java_of() { if [ -n "$1" ]; then echo "$1/bin/java"; else echo java; fi; }
feature_of() { "$(java_of "$1")" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'; }
label_of() {
    local index=$1 name=this
    [ "$index" -lt "${#builds[@]}" ] && [ "$index" != 0 ] && name=$REVISION
    echo "$name on JDK $(feature_of "${jdks[$index]}")"
}

now_ms() { date +%s%3N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One start of variant $1: prints "<ready ms> <idle RSS kB>".
start_once() {
    local dir=${dirs[$1]} jdk=${jdks[$1]} log=$2 start pid archive=()
    if [ -n "${TRAINING_OPTIONS:-}" ]; then
        archive=($TRAINING_OPTIONS)
    elif [ "$(feature_of "$jdk")" -ge 24 ]; then
        [ -f "$dir/app.aot" ] && archive=(-XX:AOTCache=app.aot)
    elif [ -f "$dir/app-cds.jsa" ]; then
        archive=(-XX:SharedArchiveFile=app-cds.jsa)
    fi
    start=$(now_ms)
    (cd "$dir" && exec env \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$DATABASE" \
        QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
        SYNCLINE_ADMIN_PASSWORD=bench-only \
        SYNCLINE_CONSOLE_SESSION_KEY=bench-only-console-session-key \
        SYNCLINE_PRIVACY_DIGEST_KEY=bench-only-digest-key \
        QUARKUS_HTTP_PORT=$PORT \
        "$(java_of "$jdk")" "${archive[@]}" -jar quarkus-run.jar) > "$log" 2>&1 &
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready")" = "200" ]; do
        kill -0 "$pid" 2>/dev/null || { echo "the application exited; see $log" >&2; exit 1; }
        sleep 0.02
    done
    local ready=$(( $(now_ms) - start ))
    sleep "$IDLE_SECONDS"
    local rss
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    # waited for: a training run's JVM writes its cache as it exits
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$ready $rss"
}

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
# the first start migrates the fresh database; it is not counted
start_once 0 target/bench-startup-migrate.log > /dev/null

# An ahead-of-time cache for each build run on JDK 24 or later (BENCH_AOT=false: none): a training
# run starts the application against the database, waits until it is ready and stops it, and the
# JDK writes what it loaded, linked and profiled at exit (-XX:AOTCacheOutput, JEP 514, 515).
for index in "${!dirs[@]}"; do
    if [ "$(feature_of "${jdks[$index]}")" -ge 24 ] && [ "${BENCH_AOT:-true}" = true ]; then
        rm -f "${dirs[$index]}/app.aot"
        TRAINING_OPTIONS="-XX:AOTCacheOutput=app.aot" start_once "$index" "target/bench-startup-training-$index.log" > /dev/null
        [ -f "${dirs[$index]}/app.aot" ] || { echo "the training run made no app.aot; see target/bench-startup-training-$index.log" >&2; exit 1; }
    elif [ "${BENCH_TRAINED_APPCDS:-false}" = true ]; then
        # an AppCDS archive of a whole start, rather than of Quarkus's generate mode
        rm -f "${dirs[$index]}/app-cds.jsa"
        TRAINING_OPTIONS="-XX:ArchiveClassesAtExit=app-cds.jsa" start_once "$index" "target/bench-startup-training-$index.log" > /dev/null
    fi
done

declare -A ready_ms rss_kb
for run in $(seq 1 "$RUNS"); do
    for index in "${!dirs[@]}"; do
        name=$(label_of "$index")
        read -r ready rss < <(start_once "$index" "target/bench-startup-$index-$run.log")
        printf 'run %d, %s: ready after %d ms, idle RSS %d MiB\n' "$run" "$name" "$ready" $(( rss / 1024 ))
        ready_ms[$index]="${ready_ms[$index]:-} $ready"
        rss_kb[$index]="${rss_kb[$index]:-} $rss"
    done
done
for index in "${!dirs[@]}"; do
    name=$(label_of "$index")
    # shellcheck disable=SC2086
    printf 'median over %d runs, %s: ready after %d ms, idle RSS %d MiB (after %d s idle)\n' "$RUNS" "$name" \
        "$(median ${ready_ms[$index]})" $(( $(median ${rss_kb[$index]}) / 1024 )) "$IDLE_SECONDS"
done
