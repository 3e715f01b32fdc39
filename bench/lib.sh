# Shared by the bench/*.sh scripts (sourced, not run): the packaged jar, a fresh database, and
# the application started against it the way production starts it (environment variables only).

export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
# The scripts' psql finds tables as the application's sessions do: in the state store's schema
# (SYNCLINE_STORE_SCHEMA, default syncline) first, then in public, where a script's own tables made
# before the application's first start are.
export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c search_path=${SYNCLINE_STORE_SCHEMA:-syncline},public"
# Debian's psql is a Perl wrapper (pg_wrapper) that took ~90 ms of CPU a call here, against ~8 ms
# for the client itself: while a warm-up drain polled every half second, the wrapper's Perl took
# 4 % of the two vCPUs (perf, 2026-11-25), taken from the application and the server (a measured
# drain polls every 5 s). So the scripts call the newest installed client directly.
PSQL_CLIENT=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
if [ -n "$PSQL_CLIENT" ]; then
    psql() { "$PSQL_CLIENT" "$@"; }
fi
BENCH_PORT=${BENCH_PORT:-18080}
BENCH_URL="http://127.0.0.1:$BENCH_PORT"
# BENCH_JAR=/elsewhere/target/quarkus-app/quarkus-run.jar measures another build (say, the
# commit before a change) with the same scripts; it is used as it is, never rebuilt.
JAR=${BENCH_JAR:-target/quarkus-app/quarkus-run.jar}
# The routes folder of the project the jar was built from (<project>/target/quarkus-app/…).
ROUTES=$PWD/routes
[ -n "${BENCH_JAR:-}" ] && ROUTES=$(cd "$(dirname "$BENCH_JAR")/../.." && pwd)/routes

# Runs a benchmark class of the test sources against a fresh database $1 on this machine's server
# (the class reads its backend's CPU from /proc): bench_backend_benchmark DATABASE CLASS [args…].
bench_backend_benchmark() {
    local database=$1 class=$2
    shift 2
    ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
    echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    BENCH_DB_URL="jdbc:postgresql://$PGHOST:5432/$database" BENCH_CLK_TCK=$(getconf CLK_TCK) \
        java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$class" "$@"
}

# Builds the packaged jar when it is missing or older than a source, route or pom change.
bench_jar() {
    if [ -n "${BENCH_JAR:-}" ]; then
        echo "measuring $BENCH_JAR"
    elif [ ! -f "$JAR" ] || [ -n "$(find src/main routes pom.xml -newer "$JAR" -print -quit)" ]; then
        echo "building $JAR (./mvnw package -DskipTests)"
        ./mvnw -B -q package -DskipTests
    else
        echo "reusing $JAR (no source is newer)"
    fi
}

# Drops and creates database $1, then prints the server settings that decide commit cost.
bench_database() {
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
    psql -d "$1" -Atc "SELECT 'PostgreSQL ' || current_setting('server_version') || ': synchronous_commit='
        || current_setting('synchronous_commit') || ', fsync=' || current_setting('fsync') || ', wal_sync_method='
        || current_setting('wal_sync_method') || ', commit_delay=' || current_setting('commit_delay')
        || ', shared_buffers=' || current_setting('shared_buffers') || ', max_connections='
        || current_setting('max_connections')"
    if [ "$(psql -d "$1" -Atc 'SHOW synchronous_commit')" != "on" ]; then
        echo "warning: synchronous_commit is not on: every figure below is optimistic" >&2
    fi
}

# Starts the jar against database $1 with output in target/$2.log; more settings as NAME=value
# arguments (e.g. SYNCLINE_ROUTES_LOCATION=…). Waits until /q/health/ready answers 200.
bench_start() {
    local database=$1 log=target/$2.log
    shift 2
    env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$database" \
        QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
        SYNCLINE_ADMIN_PASSWORD=bench-only \
        SYNCLINE_CONSOLE_SESSION_KEY=bench-only-console-session-key \
        SYNCLINE_PRIVACY_DIGEST_KEY=bench-only-digest-key \
        QUARKUS_HTTP_PORT="$BENCH_PORT" \
        SYNCLINE_ROUTES_LOCATION="$ROUTES" \
        "$@" \
        java ${BENCH_JAVA_OPTS:-} -jar "$JAR" > "$log" 2>&1 &
    BENCH_PID=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BENCH_URL/q/health/ready")" = "200" ]; do
        kill -0 "$BENCH_PID" 2>/dev/null || { echo "the application exited; see $log"; exit 1; }
        sleep 0.1
    done
}

# PostgreSQL plans from table statistics that autovacuum keeps fresh. A server with autovacuum
# off (as some shared test servers are) would plan every query as for the empty tables the run
# started with, and measure that instead. The stand-in does autovacuum's work on database $1 as
# autovacuum would: every 10 s (autovacuum looks every autovacuum_naptime, 60 s by default), it
# vacuums the tables past the server's autovacuum_vacuum_* thresholds (dead or inserted rows) and
# analyses those past autovacuum_analyze_*. Until 2026-11-24 it ran VACUUM ANALYZE on every
# table every 10 s, due or not. (In a drain of 20,000 new contacts the vacuums took 6.7 s of the
# server's time against 7.5 s: the insert-heavy tables pass the insert threshold often while small.)
bench_autovacuum_standin() {
    if [ "$(psql -d "$1" -Atc 'SHOW autovacuum')" = "on" ]; then
        return
    fi
    echo "autovacuum is off on this server: vacuuming and analysing $1 in its stead, by its thresholds, every 10 s"
    # Throttled as autovacuum throttles itself (autovacuum_vacuum_cost_delay 2 ms): a manual VACUUM
    # runs flat out, and took one of the two CPUs from the measured run for a second at a time.
    ( while sleep 10; do
        psql -q -d "$1" -c "SET vacuum_cost_delay = '2ms'" -f - 2> /dev/null <<'SQL' || break
SELECT CASE WHEN vacuum_due THEN 'VACUUM ANALYZE ' ELSE 'ANALYZE ' END || format('%I.%I', schemaname, relname)
FROM (SELECT s.schemaname, s.relname,
             s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
                 + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0)
             OR s.n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8
                 + current_setting('autovacuum_vacuum_insert_scale_factor')::float8 * greatest(c.reltuples, 0) AS vacuum_due,
             s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                 + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0) AS analyze_due
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid) due
WHERE vacuum_due OR analyze_due \gexec
SQL
    done ) &
    BENCH_STANDIN_PID=$!
}

# CPU seconds (user + system, every thread) process $1 has used so far.
bench_cpu_of() {
    # Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($12 + $13) / hz}'
}

# Sets BENCH_CHILDREN_CPU to the CPU seconds (user + system) the finished child processes of this
# shell have used so far: a foreground command's, once it has ended (the load generator's, with
# the odd psql's). Called as a plain command, not in $(...): a subshell has children of its own.
bench_children_cpu() {
    times > target/bench-times.txt
    BENCH_CHILDREN_CPU=$(tail -n 1 target/bench-times.txt | awk '{
        t = 0
        for (i = 1; i <= 2; i++) { split($i, part, "m"); sub("s", "", part[2]); t += part[1] * 60 + part[2] }
        printf "%.2f", t }')
}

# CPU seconds the local PostgreSQL server has used so far: its live processes, plus the sessions
# that have ended (the postmaster collects their time as its children's). Empty when the server
# is not on this machine.
bench_postgres_cpu() {
    case "$PGHOST" in 127.0.0.1|localhost) ;; *) return ;; esac
    local pids
    pids=$(pgrep -u postgres -x postgres) || return
    # A backend may exit between pgrep and its read (the stand-in's VACUUM, a psql poll): skipped,
    # not a failure, which under pipefail would end the calling script without a word.
    # shellcheck disable=SC2086
    for pid in $pids; do sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null || true; done \
        | awk -v hz="$(getconf CLK_TCK)" '{t += $12 + $13 + $14 + $15} END {printf "%.2f", t / hz}'
}

bench_stop() {
    if [ -n "${BENCH_STANDIN_PID:-}" ]; then
        kill "$BENCH_STANDIN_PID" 2>/dev/null || true
        BENCH_STANDIN_PID=
    fi
    if [ -n "${BENCH_PID:-}" ]; then
        kill "$BENCH_PID" 2>/dev/null || true
        wait "$BENCH_PID" 2>/dev/null || true
        BENCH_PID=
    fi
}
trap bench_stop EXIT

# The settings of an application that only accepts webhooks into the inbox (for intake figures and
# preloading): SYNCLINE_INBOX_APPLY=false, and for a build whose dispatcher and workers were still
# route files (bench/compare.sh against an older revision), a routes folder without them.
bench_intake_only() {
    local folder=target/bench-intake-only-routes
    rm -rf "$folder" && mkdir -p "$folder"
    cp "$ROUTES"/*.yaml "$folder"/
    rm -f "$folder"/inbox-dispatcher.camel.yaml "$folder"/inbox-workers.camel.yaml
    echo "SYNCLINE_ROUTES_LOCATION=$folder SYNCLINE_INBOX_APPLY=false"
}

# The admin API answers as admin:bench-only (bench_start's SYNCLINE_ADMIN_PASSWORD).
BENCH_AUTH=admin:bench-only

# A Python expression $2 over backfill job $1's progress (d, the answer of GET /admin/backfills/jobs/$1).
bench_job_field() { curl -s -u "$BENCH_AUTH" "$BENCH_URL/admin/backfills/jobs/$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }

# Starts a backfill job at $1 (a path) in database $2's application, waits for it to end, prints
# its records/s (records over the time from its start to its end: for a run, until its last event
# is applied) on stderr; echoes the job id.
bench_backfill_job() {
    local id status
    id=$(curl -s -u "$BENCH_AUTH" -X POST "$BENCH_URL$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
    while status=$(bench_job_field "$id" "d['job']['status']"); [ "$status" = queued ] || [ "$status" = running ]; do
        sleep 1
    done
    [ "$status" = completed ] || { echo "job $id $status: $(bench_job_field "$id" "d['job']['error']")" >&2; exit 1; }
    psql -d "$2" -Atc "SELECT kind || ' ' || id || ': ' || records_read || ' records in '
        || round(extract(epoch FROM finished_at - started_at)::numeric, 1) || ' s, '
        || round(records_read / extract(epoch FROM finished_at - started_at)) || ' records/s'
        FROM backfill_job WHERE id = $id" >&2
    echo "$id"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
