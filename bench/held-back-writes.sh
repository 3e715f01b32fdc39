#!/usr/bin/env bash
# An apply batch's held-back writes (ID map links, idempotency key, record states, audit entry and
# inbox completion of each new contact), sent as one JDBC batch per statement against one
# multi-row statement per SQL, in turns on one connection: JVM and PostgreSQL backend CPU per event.
# Usage: bench/held-back-writes.sh [batches a round (500)] [rounds (8)] [events a batch (8)]
# Needs the PostgreSQL server on this machine (the backend's CPU is read from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DATABASE=${BENCH_DATABASE:-syncline_bench_writes}
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
BENCH_DB_URL="jdbc:postgresql://$PGHOST:5432/$DATABASE" BENCH_CLK_TCK=$(getconf CLK_TCK) \
    java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    io.syncline.bench.HeldBackWritesBenchmark "$@"
