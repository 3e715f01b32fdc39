#!/usr/bin/env bash
# Webhook intake: requests/s and latency of POST /webhooks/demo/contacts (signature check, JSON
# parse, one committed INSERT into the inbox, 202) at 16 and 64 connections, with wrk.
# Every request is a distinct contact with its own event id (bench/intake.lua).
#
# Usage: bench/intake.sh [runs] [--intake-only]
#   runs           repetitions, each on a fresh database and a fresh JVM (default 3)
#   --intake-only  leave the inbox dispatcher out: only the webhook runs, nothing is applied
# Environment: BENCH_SECONDS (measured seconds per connection count, default 30),
#   BENCH_WARMUP_SECONDS (default 30, at 64 connections), BENCH_PORT (default 18080), BENCH_JAVA_OPTS.
# The warm-up is long enough for the JIT: after 15 s at 16 connections C2 was still compiling on a
# 2-vCPU machine, and the p99 at 16 connections measured 18-91 ms where a warm JVM gives 12-16 ms.
#
# wrk is closed-loop: each connection sends its next request when the previous answer arrives,
# so its latencies are those of a saturated server at that concurrency (see bench/end-to-end.sh
# for latency at a fixed arrival rate).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RUNS=3
INTAKE_ONLY=false
for arg in "$@"; do
    case "$arg" in
        --intake-only) INTAKE_ONLY=true ;;
        ''|*[!0-9]*) echo "unknown argument: $arg (usage: bench/intake.sh [runs] [--intake-only])" >&2; exit 2 ;;
        *) RUNS=$arg ;;
    esac
done
SECONDS_PER_TEST=${BENCH_SECONDS:-30}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-30}
DATABASE=syncline_bench_intake
CONNECTIONS=(16 64)

if ! command -v wrk > /dev/null; then
    echo "wrk is missing: installing the Debian package (apt-get install -y wrk)"
    apt-get install -y -q wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
fi

bench_jar
settings=()
if [ "$INTAKE_ONLY" = true ]; then
    settings+=($(bench_intake_only))
    echo "intake only: the inbox dispatcher is not running"
else
    echo "the inbox dispatcher runs as in production, applying events while they arrive"
fi
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A rps p50 p99
for run in $(seq 1 "$RUNS"); do
    bench_database "$DATABASE"
    bench_autovacuum_standin "$DATABASE"
    bench_start "$DATABASE" "bench-intake-$run" "${settings[@]}"
    tag="r$run-$(date +%s)"
    wrk -t2 -c64 -d"${WARMUP_SECONDS}s" -s bench/intake.lua "$BENCH_URL/webhooks/demo/contacts" -- "$tag-warmup" > /dev/null
    for connections in "${CONNECTIONS[@]}"; do
        result=$(wrk -t2 -c"$connections" -d"${SECONDS_PER_TEST}s" --latency -s bench/intake.lua \
            "$BENCH_URL/webhooks/demo/contacts" -- "$tag-c$connections" | grep '^RESULT')
        echo "run $run, $connections connections: ${result#RESULT }"
        rps[$connections]+="$(sed -E 's/.*requests_per_s=([0-9.]+).*/\1/' <<< "$result") "
        p50[$connections]+="$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<< "$result") "
        p99[$connections]+="$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<< "$result") "
    done
    stored=$(psql -d "$DATABASE" -Atc "SELECT count(*) FROM inbox")
    echo "run $run: $stored events stored in the inbox"
    bench_stop
done

for connections in "${CONNECTIONS[@]}"; do
    # shellcheck disable=SC2086
    printf '%d connections, median of %d runs: %s requests/s (runs: %s), p50 %s ms (%s), p99 %s ms (%s)\n' \
        "$connections" "$RUNS" "$(median ${rps[$connections]})" "${rps[$connections]% }" \
        "$(median ${p50[$connections]})" "${p50[$connections]% }" "$(median ${p99[$connections]})" "${p99[$connections]% }"
done
