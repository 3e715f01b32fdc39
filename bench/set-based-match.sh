#!/usr/bin/env bash
# The measure behind docs/adr/0004-set-based-apply.md: new contacts searched for in billing's
# table, matched and inserted, each with its own query and upsert, against a batch's contacts in
# one query and one multi-row upsert, in turns on one connection: JVM and PostgreSQL backend CPU
# per contact.
# Usage: bench/set-based-match.sh [batches a round (300)] [rounds (8)] [contacts a batch (8)]
# Needs the PostgreSQL server on this machine (the backend's CPU is read from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

bench_backend_benchmark "${BENCH_DATABASE:-syncline_bench_match}" io.syncline.connector.jdbc.SetBasedMatchBenchmark "$@"
