#!/usr/bin/env bash
# Backfill into a PostgreSQL table through the whole apply path (docs/backfill.md), in a JVM capped
# at a 256 MiB heap (a run that needed more would fail):
#   new     N customers (default 100,000) into an empty billing table: every record is new and
#           matched by e-mail (the match rule searches the target), then created and linked
#   linked  the same customers again, each name changed: the ID map links every record, each is
#           an update
# Each case runs a dry run and then the run from it; it prints records/s of each (records over the
# time from the job's start to its end: for a run, until its last event is applied), the heap the
# JVM had used at most, and what the run's events came to.
# Usage: bench/backfill.sh [records] [new|linked|all]
# Environment: BENCH_DATABASE (default syncline_bench_backfill, dropped and created again),
#   BENCH_PORT, BENCH_JAVA_OPTS (default -Xmx256m), BENCH_JAR (another build), and application
#   settings as environment variables (SYNCLINE_INBOX_WORKERS=…), passed on unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

N=${1:-100000}
CASES=${2:-all}
DATABASE=${BENCH_DATABASE:-syncline_bench_backfill}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx256m}
case "$CASES" in new|linked|all) ;; *) echo "usage: bench/backfill.sh [records] [new|linked|all]" >&2; exit 2 ;; esac

bench_jar
bench_database "$DATABASE"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $N customers; JVM options $BENCH_JAVA_OPTS"
ROUTES=$PWD/bench/backfill-routes bench_start "$DATABASE" bench-backfill SYNCLINE_RECONCILIATION_SCHEDULES_ENABLED=false \
    SYNCLINE_BACKFILL_CLAIM_INTERVAL=200ms
bench_autovacuum_standin "$DATABASE"
# the tables once Syncline has made its own: its state store starts in an empty database
psql -q -d "$DATABASE" <<SQL
CREATE TABLE bench_erp_customer (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), name VARCHAR(100), tier VARCHAR(20),
    updated_at TIMESTAMP WITH TIME ZONE);
INSERT INTO bench_erp_customer SELECT 'cu-' || lpad(g::text, 8, '0'), 'customer' || g || '@example.com', 'Customer ' || g,
    CASE WHEN g % 4 = 0 THEN 'gold' ELSE 'silver' END, TIMESTAMPTZ '2024-03-01 10:30:00Z' FROM generate_series(1, $N) g;
CREATE TABLE bench_billing_customer (customer_no VARCHAR(20) PRIMARY KEY, email VARCHAR(100), name VARCHAR(100),
    tier VARCHAR(20), updated_at TIMESTAMP WITH TIME ZONE);
CREATE INDEX bench_billing_customer_email ON bench_billing_customer (LOWER(TRIM(email)));
ANALYZE bench_erp_customer;
SQL

heap() {
    jcmd "$BENCH_PID" GC.heap_info 2>/dev/null | awk '/used/ {print "heap now: " $0; exit}' || true
}

backfill() {
    local dry run
    dry=$(bench_backfill_job /admin/backfills/customers/dry-runs "$DATABASE")
    echo "  dry run outcomes: $(bench_job_field "$dry" "d['job']['outcomes']")"
    run=$(bench_backfill_job "/admin/backfills/customers/runs?dryRun=$dry&confirm=true" "$DATABASE")
    echo "  run: $(bench_job_field "$run" "d['applied']")"
    heap
}

if [ "$CASES" = new ] || [ "$CASES" = all ]; then
    echo "new: every customer new to billing, matched by e-mail"
    backfill
fi
if [ "$CASES" = linked ] || [ "$CASES" = all ]; then
    [ "$CASES" = linked ] && { echo "linked needs the new case first: bench/backfill.sh $N all" >&2; exit 2; }
    psql -q -d "$DATABASE" -c "UPDATE bench_erp_customer SET name = name || ' (renamed)', updated_at = TIMESTAMPTZ '2024-04-01 10:30:00Z'"
    echo "linked: every customer linked through the ID map, each an update"
    backfill
fi
echo "peak heap after the runs: $(jcmd "$BENCH_PID" GC.heap_info 2>/dev/null | head -2 | tr -s ' ' | tr '\n' ' ')"
# The yardstick: the same rows copied by the database alone, one INSERT … SELECT between the two
# tables of the same database, with billing's index on the e-mail rule's expression.
psql -q -d "$DATABASE" -c "CREATE TABLE bench_plain_copy (LIKE bench_billing_customer INCLUDING ALL)"
copy_ms=$(psql -d "$DATABASE" -Atc "\\timing on" -c "INSERT INTO bench_plain_copy (customer_no, email, name, tier, updated_at)
    SELECT id, email, name, tier, updated_at FROM bench_erp_customer" | awk '/^Time:/ {print $2}')
echo "plain copy (INSERT … SELECT): $N rows in $copy_ms ms, $(python3 -c "print(round($N / ($copy_ms / 1000)))") rows/s"

