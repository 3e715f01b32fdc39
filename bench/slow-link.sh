#!/usr/bin/env bash
# Applying over a slow link to the state store: the Quickstart's drain of new contacts (as
# end-to-end.sh throughput drains them) with the state store, and billing's demo_contact on the
# same database, reached through a TCP proxy that adds a fixed delay per round trip, against the
# same drain through the same proxy adding nothing.
#
# "BENCH_SLOW_MS per round trip" (default 100): bench/DelayProxy.java delays every byte by half of
# it in each direction, as a delay line (each chunk leaves at its arrival plus the half, in order,
# while the next chunks are read), so a statement sent and its answer received take BENCH_SLOW_MS
# more than without the proxy, however many TCP segments either is cut into and however many
# statements the driver sends before it reads (pipelined statements share one delay). Opening a
# connection's TCP handshake is not delayed; its start-up messages are, like any others. The
# bandwidth is not limited. The application's every connection to the state store goes through
# the proxy; the script's own psql polls go straight to the server.
#
# Usage: bench/slow-link.sh [runs]      (default 3: that many pairs, each a drain with 0 ms added
#                                        and then one with BENCH_SLOW_MS added)
#   Per drain: BENCH_EVENTS (default 10000) new contacts are accepted through the webhook while no
#   dispatcher runs (straight to the server, not through the proxy); then the application starts
#   as in production, its datasource through the proxy, and drains the inbox. BENCH_DRAIN_WARMUP
#   (default 0) events are accepted and drained first by the same JVM, not measured.
#   It prints per drain the applied events/s (steady: the middle 80 % by inbox.finished_at; and
#   first to last) and the round trips per applied event (counted by the proxy: a message from
#   the application after the server's answer begins one; the health probe's and timers' included),
#   per pair the ratio slow / without, and the medians.
# BENCH_PROXY_TRACE=target/trace: the proxy writes each round trip's first bytes (the statement's
#   SQL: the driver is then told to send it every time, prepareThreshold=0) to
#   target/trace-0ms.txt and target/trace-100ms.txt, to see where a batch's round trips go.
# Environment: BENCH_SLOW_MS, BENCH_EVENTS, BENCH_DRAIN_WARMUP, BENCH_PROXY_PORT (default 15433),
#   BENCH_PORT (18080), BENCH_JAVA_OPTS, BENCH_JAR, and any application setting as an environment
#   variable (SYNCLINE_INBOX_WORKERS=…), which reaches the application unchanged, in both drains.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RUNS=${1:-3}
SLOW_MS=${BENCH_SLOW_MS:-100}
EVENTS=${BENCH_EVENTS:-10000}
DRAIN_WARMUP=${BENCH_DRAIN_WARMUP:-0}
PROXY_PORT=${BENCH_PROXY_PORT:-15433}
DATABASE=syncline_bench_slow_link
STATS=target/bench-slow-link-proxy.txt
TRACE=${BENCH_PROXY_TRACE:-}
# Counted through the inbox's partial indexes, as end-to-end.sh counts them.
LEFT_SQL="SELECT (SELECT count(*) FROM inbox WHERE status = 'pending') + (SELECT count(*) FROM inbox WHERE status = 'processing')"

left() { psql -d "$DATABASE" -Atc "$LEFT_SQL"; }

# Starts the proxy to the server with $1 ms per round trip; waits until it listens.
proxy_start() {
    rm -f "$STATS"
    java bench/DelayProxy.java --listen "$PROXY_PORT" --upstream "$PGHOST:5432" --round-trip-ms "$1" \
        --stats "$STATS" ${TRACE:+--trace "$TRACE-$1ms.txt"} > target/bench-slow-link-proxy.log 2>&1 &
    PROXY_PID=$!
    until grep -q '^listening' target/bench-slow-link-proxy.log && [ -s "$STATS" ]; do
        kill -0 "$PROXY_PID" 2>/dev/null || { echo "the proxy exited; see target/bench-slow-link-proxy.log"; exit 1; }
        sleep 0.2
    done
}

proxy_stop() {
    if [ -n "${PROXY_PID:-}" ]; then
        kill "$PROXY_PID" 2>/dev/null || true
        wait "$PROXY_PID" 2>/dev/null || true
        PROXY_PID=
    fi
}
trap 'bench_stop; proxy_stop' EXIT

# The proxy's round trips so far (its stats file is rewritten every second).
round_trips() { cut -d' ' -f1 "$STATS"; }

# Accepts $2 new contacts numbered from $3 into the database, tagged $1, with no dispatcher running.
preload() {
    bench_start "$DATABASE" bench-slow-link-preload $(bench_intake_only)
    java bench/LoadGenerator.java --url "$BENCH_URL/webhooks/demo/contacts" --count "$2" --concurrency 32 \
        --tag "$1" --version 1 --offset "$3" > /dev/null
    bench_stop
}

# One drain with $1 ms per round trip; sets RATE_STEADY, RATE_WHOLE and TRIPS_PER_EVENT.
drain() {
    local delay=$1 tag first events trips count whole steady
    tag="s$delay-$(date +%s)"
    bench_database "$DATABASE" > /dev/null
    first=0
    if [ "$DRAIN_WARMUP" -gt 0 ]; then
        preload "w$tag" "$DRAIN_WARMUP" 0
        first=$(psql -d "$DATABASE" -Atc "SELECT max(id) + 1 FROM inbox")
    fi
    # numbered after the warm-up's contacts, so that no new contact matches one of them
    preload "$tag" "$EVENTS" "$DRAIN_WARMUP"
    psql -q -d "$DATABASE" -c "VACUUM ANALYZE"
    proxy_start "$delay"
    bench_autovacuum_standin "$DATABASE" > /dev/null
    bench_start "$DATABASE" bench-slow-link-drain \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PROXY_PORT/$DATABASE${TRACE:+?prepareThreshold=0}"
    while [ "$(left)" -gt "$EVENTS" ]; do sleep 0.5; done
    events=$(left) trips=$(round_trips)
    while [ "$(left)" != 0 ]; do sleep 2; done
    sleep 1.1
    trips=$(( $(round_trips) - trips ))
    bench_stop
    proxy_stop
    read -r count whole steady <<< "$(psql -d "$DATABASE" -Atc "SELECT count(*), round(((count(*) - 1) / extract(epoch FROM
        max(finished_at) - min(finished_at)))::numeric), round((0.8 * count(*) / extract(epoch FROM
        percentile_disc(0.9) WITHIN GROUP (ORDER BY finished_at) - percentile_disc(0.1) WITHIN GROUP (ORDER BY finished_at)))::numeric)
        FROM inbox WHERE status = 'done' AND id >= $first" | tr '|' ' ')"
    RATE_STEADY=$steady RATE_WHOLE=$whole
    TRIPS_PER_EVENT=$(echo "$trips $events" | awk '{printf "%.2f", $1 / $2}')
    echo "  $delay ms per round trip: $count events applied ($(psql -d "$DATABASE" -Atc "SELECT string_agg(status || ' ' || n, ', ')
        FROM (SELECT status, count(*) AS n FROM inbox GROUP BY status) s")), $steady events/s steady (middle 80 %)," \
        "$whole events/s first to last; $TRIPS_PER_EVENT round trips per event"
}

bench_jar
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$EVENTS new contacts a drain$( [ "$DRAIN_WARMUP" -gt 0 ] && echo " after $DRAIN_WARMUP drained first, not measured");" \
    "pairs of drains with 0 and $SLOW_MS ms added per round trip"
ratios=() fast=() slow=() fast_trips=() slow_trips=()
for run in $(seq 1 "$RUNS"); do
    echo "pair $run"
    drain 0
    fast+=("$RATE_STEADY") fast_trips+=("$TRIPS_PER_EVENT")
    drain "$SLOW_MS"
    slow+=("$RATE_STEADY") slow_trips+=("$TRIPS_PER_EVENT")
    ratios+=("$(echo "$RATE_STEADY ${fast[-1]}" | awk '{printf "%.3f", $1 / $2}')")
    echo "pair $run: ratio ${ratios[-1]} ($SLOW_MS ms against 0 ms, steady events/s)"
done
echo "median of $RUNS pairs: ratio $(median "${ratios[@]}") (pairs: ${ratios[*]}); steady events/s $(median "${fast[@]}") with 0 ms" \
    "(${fast[*]}), $(median "${slow[@]}") with $SLOW_MS ms (${slow[*]}); round trips per event $(median "${fast_trips[@]}")" \
    "and $(median "${slow_trips[@]}")"
