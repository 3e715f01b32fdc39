#!/usr/bin/env bash
# End to end through the Quickstart sync: webhook -> inbox -> transformer -> ID map -> idempotent
# consumer -> match -> conflicts -> upsert into PostgreSQL (demo_contact) -> record state + audit.
#
# Usage: bench/end-to-end.sh [throughput|updates|latency|all] [runs]      (default: all, 3 runs)
#   throughput  BENCH_EVENTS (default 30000) distinct contacts are accepted through the webhook
#               while no dispatcher runs; then the application starts as in production and
#               drains the inbox. Applied events/s: steady, over the middle 80 % of the events by
#               inbox.finished_at (no JIT warm-up), and from the first event done to the last.
#               Every event creates a contact: the match rules search the target for each.
#   updates     the same for BENCH_EVENTS updates of contacts created (and applied) before: the
#               ID map knows each, so no match rule searches the target.
#   latency     BENCH_RATE events/s (default 500) for BENCH_SECONDS (default 60), after a
#               BENCH_WARMUP_SECONDS (default 20) warm-up in the same stream, from a fixed-arrival-rate
#               generator (bench/LoadGenerator.java). Per event: inbox.finished_at (set once the
#               event is applied and committed) minus the time the request was due to be sent.
#               BENCH_LATENCY_EVENTS=creates (default: every event a new contact, matched against
#               the target) or updates (the contacts are created and applied first, not measured;
#               every event then changes one). At most BENCH_CONNECTIONS (default 256) requests
#               are in flight: behind that, requests wait in the generator, timed from their due time.
#   BENCH_DRAIN_WARMUP (throughput and updates; default 0): that many events of the same kind are
#               accepted before the measured ones and drained first by the same JVM, so that the
#               figures are those of a warm JVM (a service runs for days; a fresh JVM's JIT takes
#               a third of its CPU in the first minute); events/s and CPU per event then count the
#               measured events only.
#   BENCH_REFERENCES=K (throughput and updates; default 0: off): the model of bench/reference-routes,
#               where each contact names one of K companies (a reference, translated through the ID
#               map to billing's id of the company): the K companies are sent and applied first,
#               not measured, then the contacts as above, written to bench_ref_contact.
# Environment: BENCH_PORT (default 18080), BENCH_JAVA_OPTS, and any application setting as an
#   environment variable (SYNCLINE_INBOX_WORKERS=…), which reaches the application unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

MODE=${1:-all}
RUNS=${2:-3}
EVENTS=${BENCH_EVENTS:-30000}
RATE=${BENCH_RATE:-500}
LATENCY_EVENTS=${BENCH_LATENCY_EVENTS:-creates}
DRAIN_WARMUP=${BENCH_DRAIN_WARMUP:-0}
MEASURE_SECONDS=${BENCH_SECONDS:-60}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-20}
case "$MODE" in throughput|updates|latency|all) ;; *) echo "usage: bench/end-to-end.sh [throughput|updates|latency|all] [runs]" >&2; exit 2 ;; esac
case "$LATENCY_EVENTS" in creates|updates) ;; *) echo "BENCH_LATENCY_EVENTS must be creates or updates" >&2; exit 2 ;; esac

REFERENCES=${BENCH_REFERENCES:-0}
REFERENCE_ARGS=()
if [ "$REFERENCES" -gt 0 ]; then
    ROUTES=$PWD/bench/reference-routes REFERENCE_ARGS=(--companies "$REFERENCES")
fi

load() { java bench/LoadGenerator.java --url "$BENCH_URL/webhooks/demo/contacts" "${REFERENCE_ARGS[@]}" "$@"; }

# With BENCH_REFERENCES: billing's tables of bench/reference-routes in database $1 (demo_contact's
# columns and match indexes, and a company_id), and the K companies sent and applied before anything is measured.
companies() {
    [ "$REFERENCES" -gt 0 ] || return 0
    psql -q -d "$1" -c "CREATE TABLE bench_ref_company (external_id VARCHAR(64) PRIMARY KEY, name VARCHAR(200))" \
        -c "CREATE TABLE bench_ref_contact (external_id VARCHAR(64) NOT NULL PRIMARY KEY, email VARCHAR(320) NOT NULL,
            first_name VARCHAR(200), last_name VARCHAR(200), full_name VARCHAR(400), phone VARCHAR(32), company VARCHAR(200),
            company_id VARCHAR(64), city VARCHAR(200), status VARCHAR(32), updated_at TIMESTAMP WITH TIME ZONE,
            deleted_at TIMESTAMP WITH TIME ZONE)" \
        -c "CREATE INDEX ON bench_ref_contact (LOWER(TRIM(email)))" -c "CREATE INDEX ON bench_ref_contact (RIGHT(phone, 6))" \
        -c "CREATE INDEX ON bench_ref_contact (LOWER(company))"
    bench_start "$1" "bench-e2e-companies"
    echo "sending and applying $REFERENCES companies (not measured)"
    java bench/LoadGenerator.java --url "$BENCH_URL/webhooks/demo/companies" --kind companies --companies "$REFERENCES" \
        --count "$REFERENCES" --concurrency 16 --tag "co-$(date +%s)" > /dev/null
    drain "$1"
    bench_stop
}

# Events not applied yet, counted through the inbox's partial indexes: a count by IN (…) read the
# whole inbox, 50-70 ms of the server's CPU every poll, charged to the run it measured.
LEFT_SQL="SELECT (SELECT count(*) FROM inbox WHERE status = 'pending') + (SELECT count(*) FROM inbox WHERE status = 'processing')"

# Waits until the inbox of database $1 has nothing pending or processing, printing progress.
drain() {
    local left
    while left=$(psql -d "$1" -Atc "$LEFT_SQL"); [ "$left" != 0 ]; do
        [ -n "${2:-}" ] && echo "  $left events to go"
        sleep "${2:-1}"
    done
}

outcomes() {
    psql -d "$1" -Atc "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM
        (SELECT status, count(*) AS n FROM inbox GROUP BY status) s"
}

# Accepts contacts into database $1 through the webhook while no dispatcher runs; $2 = run tag
# (contact ids), $3 = version (1 creates them, 2 and up update the contacts of that tag), $4 = how
# many (default $EVENTS), $5 = the first contact's number (default 0; phones and company names
# follow the number, so contacts created by two preloads into one database need numbers apart).
preload() {
    local count=${4:-$EVENTS} offset=${5:-0}
    bench_start "$1" "bench-e2e-preload" $(bench_intake_only)
    echo "accepting $count contacts (version $3) through the webhook (no dispatcher running)"
    load --count "$count" --concurrency 32 --tag "$2" --version "$3" --offset "$offset"
    bench_stop
    psql -q -d "$1" -c "VACUUM ANALYZE"
}

# Starts the application as in production on database $1 and waits until the inbox is drained.
# CPU per applied event, from the application being ready (or, with $2, from the moment no more
# than $2 events are left: the warm-up drained first) to the inbox drained, the JIT's work
# included: the JVM's, and the whole PostgreSQL server's (the VACUUM stand-in's included). Less
# at the mercy of what else the machine runs than events/s, so settings compare by it.
apply_all() {
    local jvm pg events
    bench_autovacuum_standin "$1"
    bench_start "$1" "bench-e2e-drain"
    if [ -n "${2:-}" ]; then
        echo "  draining the warm-up first"
        while [ "$(psql -d "$1" -Atc "$LEFT_SQL")" -gt "$2" ]; do
            sleep 0.5
        done
    fi
    jvm=$(bench_cpu_of "$BENCH_PID") pg=$(bench_postgres_cpu)
    events=$(psql -d "$1" -Atc "$LEFT_SQL")
    drain "$1" 5
    jvm=$(echo "$(bench_cpu_of "$BENCH_PID") $jvm" | awk '{print $1 - $2}')
    [ -n "$pg" ] && pg=$(echo "$(bench_postgres_cpu) $pg" | awk '{print $1 - $2}')
    bench_stop
    CPU_JVM_MS=$(echo "$jvm $events" | awk '{printf "%.2f", 1000 * $1 / $2}')
    CPU_PG_MS=$( [ -n "$pg" ] && echo "$pg $events" | awk '{printf "%.2f", 1000 * $1 / $2}' || echo "n/a")
    echo "  CPU per applied event: JVM $CPU_JVM_MS ms, PostgreSQL $CPU_PG_MS ms ($events events)"
}

# Applied events/s of the inbox events from id $2 on in database $1, for run $3.
# Steady: the middle 80 % of the events by finish time, leaving out the JVM's warm-up (JIT) at
# the start and the last, partly idle batches at the end.
report_rate() {
    local count whole steady
    read -r count whole steady <<< "$(psql -d "$1" -Atc "SELECT count(*), round(((count(*) - 1) / extract(epoch FROM
        max(finished_at) - min(finished_at)))::numeric), round((0.8 * count(*) / extract(epoch FROM
        percentile_disc(0.9) WITHIN GROUP (ORDER BY finished_at) - percentile_disc(0.1) WITHIN GROUP (ORDER BY finished_at)))::numeric)
        FROM inbox WHERE status = 'done' AND id >= $2" | tr '|' ' ')"
    echo "run $3: inbox $(outcomes "$1"); audit: $(psql -d "$1" -Atc \
        "SELECT string_agg(action || ' ' || n, ', ') FROM (SELECT action, count(*) AS n FROM audit_log GROUP BY action) a")"
    echo "run $3: $count events applied, $steady events/s steady (middle 80 %), $whole events/s first to last;" \
        "CPU per event: JVM $CPU_JVM_MS ms, PostgreSQL $CPU_PG_MS ms"
    RATE_STEADY=$steady RATE_WHOLE=$whole
}

throughput() {
    local run=$1 database=syncline_bench_e2e_throughput tag first=0 warm=
    tag="t$run-$(date +%s)"
    bench_database "$database"
    companies "$database"
    # the companies' events are not measured
    [ "$REFERENCES" -gt 0 ] && first=$(psql -d "$database" -Atc "SELECT max(id) + 1 FROM inbox")
    if [ "$DRAIN_WARMUP" -gt 0 ]; then
        preload "$database" "w$tag" 1 "$DRAIN_WARMUP"
        first=$(psql -d "$database" -Atc "SELECT max(id) + 1 FROM inbox") warm=$EVENTS
    fi
    # Numbered after the warm-up's contacts: with the same numbers they would share phones and
    # company names with them, match them, and be held for review instead of created.
    preload "$database" "$tag" 1 "$EVENTS" "$DRAIN_WARMUP"
    apply_all "$database" "$warm"
    report_rate "$database" "$first" "$run"
    applied_rates+=("$RATE_STEADY"); whole_rates+=("$RATE_WHOLE"); create_cpu_jvm+=("$CPU_JVM_MS"); create_cpu_pg+=("$CPU_PG_MS")
}

# As throughput, for updates: the contacts exist (created and applied first, not measured), and
# each event changes one; the ID map knows them, so no match rule searches the target.
updates() {
    local run=$1 database=syncline_bench_e2e_updates tag first version=2 warm=
    tag="u$run-$(date +%s)"
    bench_database "$database"
    companies "$database"
    preload "$database" "$tag" 1
    apply_all "$database"
    if [ "$DRAIN_WARMUP" -gt 0 ]; then
        preload "$database" "$tag" 2 "$DRAIN_WARMUP"
        version=3 warm=$EVENTS
    fi
    first=$(psql -d "$database" -Atc "SELECT max(id) + 1 FROM inbox")
    preload "$database" "$tag" "$version"
    apply_all "$database" "$warm"
    report_rate "$database" "$first" "$run"
    update_rates+=("$RATE_STEADY"); update_whole_rates+=("$RATE_WHOLE"); update_cpu_jvm+=("$CPU_JVM_MS"); update_cpu_pg+=("$CPU_PG_MS")
}

latency() {
    local run=$1 database=syncline_bench_e2e_latency sent=target/bench-e2e-sent.csv
    bench_database "$database"
    bench_autovacuum_standin "$database"
    bench_start "$database" "bench-e2e-latency-$run"
    local tag="l$run-$(date +%s)" version=1
    if [ "$LATENCY_EVENTS" = updates ]; then
        echo "run $run: creating the contacts the events will update (not measured)"
        load --count $(( RATE * (WARMUP_SECONDS + MEASURE_SECONDS) )) --concurrency 16 --tag "$tag" > /dev/null
        drain "$database" 5
        version=2
    fi
    # One stream: its first seconds warm up the application and the generator, the rest is measured.
    echo "run $run: $RATE events/s ($LATENCY_EVENTS), $WARMUP_SECONDS s of warm-up, then $MEASURE_SECONDS s measured"
    # CPU per event of the whole stream: what the machine's two vCPUs had to share, the generator's part included.
    local jvm pg generator events=$(( RATE * (WARMUP_SECONDS + MEASURE_SECONDS) ))
    jvm=$(bench_cpu_of "$BENCH_PID") pg=$(bench_postgres_cpu)
    bench_children_cpu; generator=$BENCH_CHILDREN_CPU
    load --rate "$RATE" --warmup-seconds "$WARMUP_SECONDS" --seconds "$MEASURE_SECONDS" --tag "$tag" \
        --version "$version" --connections "${BENCH_CONNECTIONS:-256}" --out "$sent"
    bench_children_cpu; generator=$(echo "$BENCH_CHILDREN_CPU $generator" | awk '{print $1 - $2}')
    drain "$database"
    jvm=$(echo "$(bench_cpu_of "$BENCH_PID") $jvm" | awk '{print $1 - $2}')
    [ -n "$pg" ] && pg=$(echo "$(bench_postgres_cpu) $pg" | awk '{print $1 - $2}')
    bench_stop
    echo "run $run: CPU per event, accepted and applied (warm-up included): JVM $(echo "$jvm $events" | awk '{printf "%.2f", 1000 * $1 / $2}') ms," \
        "PostgreSQL $( [ -n "$pg" ] && echo "$pg $events" | awk '{printf "%.2f", 1000 * $1 / $2}' || echo "n/a") ms," \
        "load generator $(echo "$generator $events" | awk '{printf "%.2f", 1000 * $1 / $2}') ms"
    psql -q -d "$database" -c "CREATE TABLE bench_sent (inbox_id BIGINT PRIMARY KEY, intended_us BIGINT NOT NULL)" \
        -c "\\copy bench_sent FROM '$sent' WITH (FORMAT csv)"
    local result
    result=$(psql -d "$database" -Atc "SELECT count(*) || ' ' || round(percentile_disc(0.5) WITHIN GROUP (ORDER BY ms))
        || ' ' || round(percentile_disc(0.99) WITHIN GROUP (ORDER BY ms)) || ' ' || round(max(ms))
        || ' ' || count(*) FILTER (WHERE status <> 'done')
        FROM (SELECT i.status, extract(epoch FROM i.finished_at) * 1000 - s.intended_us / 1000.0 AS ms
              FROM bench_sent s JOIN inbox i ON i.id = s.inbox_id) l")
    read -r count p50 p99 max notdone <<< "$result"
    echo "run $run: $count events at $RATE/s, accept -> applied: p50 $p50 ms, p99 $p99 ms, max $max ms ($notdone not done)"
    latency_p50+=("$p50"); latency_p99+=("$p99"); latency_max+=("$max")
}

bench_jar
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$DRAIN_WARMUP" -gt 0 ]; then echo "warm JVM: $DRAIN_WARMUP events of the same kind drained first, not measured"; fi
applied_rates=(); whole_rates=(); update_rates=(); update_whole_rates=(); create_cpu_jvm=(); create_cpu_pg=(); update_cpu_jvm=(); update_cpu_pg=(); latency_p50=(); latency_p99=(); latency_max=()
for run in $(seq 1 "$RUNS"); do
    case "$MODE" in throughput|all) throughput "$run" ;; esac
    case "$MODE" in updates|all) updates "$run" ;; esac
    case "$MODE" in latency|all) latency "$run" ;; esac
done
if [ ${#applied_rates[@]} -gt 0 ]; then
    echo "throughput, median of $RUNS runs: $(median "${applied_rates[@]}") applied events/s steady (runs: ${applied_rates[*]});" \
        "first to last $(median "${whole_rates[@]}") (runs: ${whole_rates[*]}); CPU per event: JVM $(median "${create_cpu_jvm[@]}") ms," \
        "PostgreSQL $(median "${create_cpu_pg[@]}") ms"
fi
if [ ${#update_rates[@]} -gt 0 ]; then
    echo "updates, median of $RUNS runs: $(median "${update_rates[@]}") applied events/s steady (runs: ${update_rates[*]});" \
        "first to last $(median "${update_whole_rates[@]}") (runs: ${update_whole_rates[*]}); CPU per event: JVM $(median "${update_cpu_jvm[@]}") ms," \
        "PostgreSQL $(median "${update_cpu_pg[@]}") ms"
fi
if [ ${#latency_p99[@]} -gt 0 ]; then
    echo "latency at $RATE events/s ($LATENCY_EVENTS), median of $RUNS runs: p50 $(median "${latency_p50[@]}") ms, p99 $(median "${latency_p99[@]}") ms," \
        "max $(median "${latency_max[@]}") ms (runs: p99 ${latency_p99[*]}; max ${latency_max[*]})"
fi
