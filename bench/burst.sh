#!/usr/bin/env bash
# A burst, then its drain, with planner statistics as a fresh deployment has them: the packaged
# application starts as in production (dispatcher and workers running) on a database Flyway has
# just made, which nothing but the application itself analyses (no autovacuum stand-in here: on a
# server with autovacuum off, as this machine's, the inbox is never analysed unless Syncline does
# it, syncline.inbox.analyze-after). wrk sends webhooks at full speed on BENCH_CONNECTIONS
# connections for BENCH_BURST_SECONDS (every request a new contact, bench/intake.lua), then the
# backlog left in the inbox is drained. Applied events/s over the drain, from inbox.finished_at:
# its first half, its last half and the whole; and whether anything analysed the inbox meanwhile.
#
# Usage: bench/burst.sh
# Environment: BENCH_BURST_SECONDS (default 60), BENCH_CONNECTIONS (default 16), BENCH_DATABASE
#   (default syncline_bench_burst; dropped and created), BENCH_PORT, BENCH_JAVA_OPTS, and any
#   application setting as an environment variable (SYNCLINE_INBOX_ANALYZE_AFTER=0 leaves the
#   statistics to autovacuum alone), which reaches the application unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

BURST_SECONDS=${BENCH_BURST_SECONDS:-60}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
DATABASE=${BENCH_DATABASE:-syncline_bench_burst}

if ! command -v wrk > /dev/null; then
    echo "wrk is missing: installing the Debian package (apt-get install -y wrk)"
    apt-get install -y -q wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
fi

bench_jar
bench_database "$DATABASE"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), autovacuum $(psql -d "$DATABASE" -Atc 'SHOW autovacuum')"
bench_start "$DATABASE" bench-burst
echo "burst: $CONNECTIONS connections at full speed for $BURST_SECONDS s"
wrk -t 2 -c "$CONNECTIONS" -d "${BURST_SECONDS}s" -s bench/intake.lua "$BENCH_URL/webhooks/demo/contacts" -- "burst-$(date +%s)" \
    | grep -E 'Requests/sec|requests in|Non-2xx' || true

# Counted through the inbox's partial indexes, never by a sequential scan (which would cost the
# measured drain the server's CPU).
LEFT_SQL="SET enable_seqscan = off; SELECT (SELECT count(*) FROM inbox WHERE status = 'pending')
    + (SELECT count(*) FROM inbox WHERE status = 'processing')"
ended=$(psql -d "$DATABASE" -Atc "SELECT clock_timestamp()")
left=$(psql -d "$DATABASE" -Atq -c "$LEFT_SQL" | tail -n 1)
echo "left in the inbox when the burst ended: $left events"
while [ "$left" != 0 ]; do
    sleep 2
    left=$(psql -d "$DATABASE" -Atq -c "$LEFT_SQL" | tail -n 1)
    echo "  $left events to go"
done
bench_stop

psql -d "$DATABASE" -Atc "
    WITH drained AS (SELECT finished_at, row_number() OVER (ORDER BY finished_at) AS n, count(*) OVER () AS total
                     FROM inbox WHERE finished_at > '$ended'),
         at AS (SELECT max(total) AS total,
                       min(finished_at) AS first,
                       max(finished_at) FILTER (WHERE n <= total / 2) AS half,
                       max(finished_at) AS last FROM drained)
    SELECT format('drain of %s events: first half %s events/s, last half %s events/s, whole %s events/s (%s s)',
                  total,
                  round((total / 2) / extract(epoch FROM half - first)),
                  round((total - total / 2) / extract(epoch FROM last - half)),
                  round(total / extract(epoch FROM last - first)),
                  round(extract(epoch FROM last - first)::numeric, 1))
    FROM at"
psql -d "$DATABASE" -Atc "SELECT format('inbox: %s events, %s analysed by Syncline or by hand, %s by autovacuum, last %s',
    n_live_tup, analyze_count, autoanalyze_count, coalesce(greatest(last_analyze, last_autoanalyze)::text, 'never'))
    FROM pg_stat_user_tables WHERE relname = 'inbox'"
psql -d "$DATABASE" -Atc "SELECT format('%s: %s', status, count(*)) FROM inbox GROUP BY status ORDER BY status"
