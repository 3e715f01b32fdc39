#!/usr/bin/env bash
# The inbox in PostgreSQL against the inbox in Kafka, in alternating pairs (PostgreSQL first in
# each), on one replica:
#   intake      requests/s and latency of POST /webhooks/demo/contacts at 64 connections with wrk,
#               the application accepting only (SYNCLINE_INBOX_APPLY=false): the answer path
#               alone, a committed INSERT into the inbox or the brokers' acknowledgement
#               (acks=all, idempotent producer) of a send to the inbox topic.
#   throughput  end to end: BENCH_EVENTS (default 20000) new contacts are accepted through the
#               webhook while nothing applies (into the inbox table, or the topic), then the
#               application starts as in production and applies them all (the dispatcher and
#               workers, or the topic's consumer group). Applied events/s over the middle 80 % of
#               the events by inbox.finished_at, and CPU per applied event of the JVM, PostgreSQL
#               and the broker.
# The broker is one KRaft broker (broker and controller in one process) forked from the Maven
# jars of the test class path, its storage in a temporary directory, eight partitions a topic.
#
# Usage: bench/kafka.sh [intake|throughput] [pairs (3)]
# Environment: BENCH_SECONDS (intake: measured seconds per run, default 30), BENCH_WARMUP_SECONDS
#   (default 20), BENCH_EVENTS, BENCH_KAFKA_PORT (default 19092), BENCH_PORT, BENCH_JAVA_OPTS, and
#   any application setting as an environment variable (SYNCLINE_INBOX_KAFKA_CONSUMERS=…).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

MODE=${1:-intake}
PAIRS=${2:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-30}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-20}
EVENTS=${BENCH_EVENTS:-20000}
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
DATABASE=syncline_bench_kafka
case "$MODE" in intake|throughput) ;; *) echo "usage: bench/kafka.sh [intake|throughput] [pairs]" >&2; exit 2 ;; esac

if [ "$MODE" = intake ]; then
    command -v wrk > /dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
fi
bench_jar

# The broker, from the jars the tests use.
KAFKA_DIR=$(mktemp -d /tmp/syncline-bench-kafka.XXXXXX)
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$KAFKA_DIR/classpath" > /dev/null
cat > "$KAFKA_DIR/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
log.dirs=$KAFKA_DIR/log
num.partitions=8
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
PROPERTIES
kafka_java() { java -Xmx512m -cp "$(cat "$KAFKA_DIR/classpath")" "$@"; }
kafka_java kafka.tools.StorageTool format -t "$(kafka_java kafka.tools.StorageTool random-uuid)" \
    -c "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/format.log"
# java itself in the background (not a function's subshell), so that the trap's kill reaches the broker
java -Xmx512m -cp "$(cat "$KAFKA_DIR/classpath")" kafka.Kafka "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/broker.log" 2>&1 &
KAFKA_PID=$!
trap 'bench_stop; kill "$KAFKA_PID" 2>/dev/null; wait "$KAFKA_PID" 2>/dev/null; rm -rf "$KAFKA_DIR"' EXIT
until (exec 3<>/dev/tcp/127.0.0.1/"$KAFKA_PORT") 2>/dev/null; do
    kill -0 "$KAFKA_PID" 2>/dev/null || { echo "the broker exited; see $KAFKA_DIR/broker.log"; exit 1; }
    sleep 0.2
done
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); broker on 127.0.0.1:$KAFKA_PORT"

# The application in inbox mode $1 (postgresql or kafka) on the benchmark's database, topic $2;
# $3 names its log; more settings follow.
start_in() {
    local mode=$1 topic=$2 log=$3
    shift 3
    bench_start "$DATABASE" "$log" SYNCLINE_INBOX_MODE="$mode" \
        SYNCLINE_INBOX_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" SYNCLINE_INBOX_KAFKA_TOPIC="$topic" "$@"
}

declare -A rps p50 p99 applied cpu_jvm cpu_pg cpu_broker

intake() {
    local mode=$1 pair=$2 tag result
    start_in "$mode" "bench-inbox-$pair-$mode" "bench-kafka-intake-$mode-$pair" SYNCLINE_INBOX_APPLY=false
    tag="$mode-$pair-$(date +%s)"
    wrk -t2 -c64 -d"${WARMUP_SECONDS}s" -s bench/intake.lua "$BENCH_URL/webhooks/demo/contacts" -- "$tag-warmup" > /dev/null
    result=$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency -s bench/intake.lua \
        "$BENCH_URL/webhooks/demo/contacts" -- "$tag" | grep '^RESULT')
    echo "pair $pair, $mode: ${result#RESULT }"
    rps[$mode]+="$(sed -E 's/.*requests_per_s=([0-9.]+).*/\1/' <<< "$result") "
    p50[$mode]+="$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<< "$result") "
    p99[$mode]+="$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<< "$result") "
    bench_stop
}

# Events accepted and finished (applied, or otherwise settled) so far, and those still open. In
# Kafka mode an event has an inbox row only from when a consumer takes it from the topic.
SETTLED_SQL="SELECT count(*) FILTER (WHERE status NOT IN ('pending', 'processing')) || ' '
    || count(*) FILTER (WHERE status IN ('pending', 'processing')) FROM inbox"

throughput() {
    local mode=$1 pair=$2 topic="bench-e2e-$pair-$mode" settled open jvm pg broker rate
    bench_database "$DATABASE"
    start_in "$mode" "$topic" "bench-kafka-preload-$mode-$pair" $(bench_intake_only)
    echo "pair $pair, $mode: accepting $EVENTS contacts through the webhook (nothing applies)"
    java bench/LoadGenerator.java --url "$BENCH_URL/webhooks/demo/contacts" --count "$EVENTS" --concurrency 32 \
        --tag "k$pair$mode-$(date +%s)" --version 1
    bench_stop
    psql -q -d "$DATABASE" -c "VACUUM ANALYZE"
    bench_autovacuum_standin "$DATABASE"
    start_in "$mode" "$topic" "bench-kafka-apply-$mode-$pair"
    jvm=$(bench_cpu_of "$BENCH_PID") pg=$(bench_postgres_cpu) broker=$(bench_cpu_of "$KAFKA_PID")
    while read -r settled open <<< "$(psql -d "$DATABASE" -Atc "$SETTLED_SQL")"; [ "$settled" -lt "$EVENTS" ] || [ "$open" != 0 ]; do
        echo "  $settled of $EVENTS settled"
        sleep 5
    done
    jvm=$(echo "$(bench_cpu_of "$BENCH_PID") $jvm $EVENTS" | awk '{printf "%.2f", 1000 * ($1 - $2) / $3}')
    pg=$(echo "$(bench_postgres_cpu) $pg $EVENTS" | awk '{printf "%.2f", 1000 * ($1 - $2) / $3}')
    broker=$(echo "$(bench_cpu_of "$KAFKA_PID") $broker $EVENTS" | awk '{printf "%.2f", 1000 * ($1 - $2) / $3}')
    bench_stop
    rate=$(psql -d "$DATABASE" -Atc "SELECT round((0.8 * count(*) / extract(epoch FROM
        percentile_disc(0.9) WITHIN GROUP (ORDER BY finished_at) - percentile_disc(0.1) WITHIN GROUP (ORDER BY finished_at)))::numeric)
        FROM inbox WHERE status = 'done'")
    echo "pair $pair, $mode: $(psql -d "$DATABASE" -Atc "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status)
        FROM (SELECT status, count(*) AS n FROM inbox GROUP BY status) s"); $rate events/s applied (middle 80 %);" \
        "CPU per event: JVM $jvm ms, PostgreSQL $pg ms, broker $broker ms"
    applied[$mode]+="$rate " cpu_jvm[$mode]+="$jvm " cpu_pg[$mode]+="$pg " cpu_broker[$mode]+="$broker "
}

for pair in $(seq "$PAIRS"); do
    for mode in postgresql kafka; do
        "$MODE" "$mode" "$pair"
    done
done

for mode in postgresql kafka; do
    # shellcheck disable=SC2086
    if [ "$MODE" = intake ]; then
        printf '%s inbox, 64 connections, median of %d: %s requests/s (%s), p50 %s ms (%s), p99 %s ms (%s)\n' \
            "$mode" "$PAIRS" "$(median ${rps[$mode]})" "${rps[$mode]% }" "$(median ${p50[$mode]})" "${p50[$mode]% }" \
            "$(median ${p99[$mode]})" "${p99[$mode]% }"
    else
        printf '%s inbox, %d new contacts, median of %d: %s events/s applied (%s); CPU per event: JVM %s ms, PostgreSQL %s ms, broker %s ms\n' \
            "$mode" "$EVENTS" "$PAIRS" "$(median ${applied[$mode]})" "${applied[$mode]% }" "$(median ${cpu_jvm[$mode]})" \
            "$(median ${cpu_pg[$mode]})" "$(median ${cpu_broker[$mode]})"
    fi
done
