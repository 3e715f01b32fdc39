#!/usr/bin/env bash
# An apply batch's held-back writes (ID map links, idempotency key, record states, audit entry and
# inbox completion of each new contact), sent as one JDBC batch per statement against one
# multi-row statement per SQL, in turns on one connection: JVM and PostgreSQL backend CPU per event.
# Usage: bench/held-back-writes.sh [batches a round (500)] [rounds (8)] [events a batch (8)]
# Needs the PostgreSQL server on this machine (the backend's CPU is read from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

bench_backend_benchmark "${BENCH_DATABASE:-syncline_bench_writes}" io.syncline.bench.HeldBackWritesBenchmark "$@"
