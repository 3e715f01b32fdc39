#!/usr/bin/env bash
# Webhook intake with the inbox in PostgreSQL against the inbox in Kafka, in alternating pairs
# (PostgreSQL first in each): requests/s and latency of POST /webhooks/demo/contacts at 64
# connections with wrk, the application accepting only (SYNCLINE_INBOX_APPLY=false), so that the
# figure is the answer path alone: a committed INSERT into the inbox, or the brokers'
# acknowledgement (acks=all, idempotent producer) of a send to the inbox topic.
# The broker is one KRaft broker (broker and controller in one process) forked from the Maven
# jars of the test class path, its storage in a temporary directory, eight partitions.
#
# Usage: bench/kafka-intake.sh [pairs (3)]
# Environment: BENCH_SECONDS (measured seconds per run, default 30), BENCH_WARMUP_SECONDS
#   (default 20), BENCH_KAFKA_PORT (default 19092), BENCH_PORT, BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

PAIRS=${1:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-30}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-20}
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
DATABASE=syncline_bench_kafka_intake

command -v wrk > /dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
bench_jar

# The broker, from the jars the tests use.
KAFKA_DIR=$(mktemp -d /tmp/syncline-bench-kafka.XXXXXX)
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$KAFKA_DIR/classpath" > /dev/null
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

declare -A rps p50 p99
for pair in $(seq "$PAIRS"); do
    for mode in postgresql kafka; do
        bench_database "$DATABASE"
        bench_start "$DATABASE" "bench-kafka-intake-$mode-$pair" SYNCLINE_INBOX_APPLY=false \
            SYNCLINE_INBOX_MODE="$mode" SYNCLINE_INBOX_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" \
            SYNCLINE_INBOX_KAFKA_TOPIC="bench-inbox-$pair"
        tag="$mode-$pair-$(date +%s)"
        wrk -t2 -c64 -d"${WARMUP_SECONDS}s" -s bench/intake.lua "$BENCH_URL/webhooks/demo/contacts" -- "$tag-warmup" > /dev/null
        result=$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency -s bench/intake.lua \
            "$BENCH_URL/webhooks/demo/contacts" -- "$tag" | grep '^RESULT')
        echo "pair $pair, $mode: ${result#RESULT }"
        rps[$mode]+="$(sed -E 's/.*requests_per_s=([0-9.]+).*/\1/' <<< "$result") "
        p50[$mode]+="$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<< "$result") "
        p99[$mode]+="$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<< "$result") "
        bench_stop
    done
done

for mode in postgresql kafka; do
    # shellcheck disable=SC2086
    printf '%s inbox, 64 connections, median of %d: %s requests/s (%s), p50 %s ms (%s), p99 %s ms (%s)\n' \
        "$mode" "$PAIRS" "$(median ${rps[$mode]})" "${rps[$mode]% }" "$(median ${p50[$mode]})" "${p50[$mode]% }" \
        "$(median ${p99[$mode]})" "${p99[$mode]% }"
done
