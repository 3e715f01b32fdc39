#!/usr/bin/env bash
# Reconciliation benchmarks (docs/benchmarks.md), in a JVM capped at a 256 MiB heap (a run that
# needed more would fail):
#  full       N x N contacts (default 1,000,000) with 0.1 % differences between two tables of one
#             local PostgreSQL database, timed against a plain FULL OUTER JOIN of the same tables
#  bisection  N x N contacts with 0.01 % differences between two PostgreSQL databases, strategy
#             bisection, timed against a count(*) of both tables; then the same pair pulled in full
#  maintained the same pair with checksums: maintained (triggers installed by a first run, then a
#             day's changes written through them): a second run timed against count(*), and what the
#             triggers cost a writer
# Usage: bench/reconcile.sh [records] [full|bisection|maintained|all]
# Environment: BENCH_DATABASE and BENCH_SECOND_DATABASE name the two databases (dropped and created
# again; defaults below), BENCH_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=...),
# BENCH_RUNS=K runs the full case K times in the same JVM (the first pays for the JIT; the later
# ones are what a service that has reconciled since its start sees).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
CASES=${2:-all}
DATABASE=${BENCH_DATABASE:-syncline_bench_reconcile}
SECOND=${BENCH_SECOND_DATABASE:-syncline_bench_reconcile_b}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}

./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test > /dev/null

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE" \
    -c "DROP DATABASE IF EXISTS $SECOND WITH (FORCE)" -c "CREATE DATABASE $SECOND"
if [ "$CASES" = full ] || [ "$CASES" = all ]; then
# Side A writes e-mail, phone and time its own way (the contract normalises them); side B holds
# the normalised values. Every 1000th record differs: a third missing from B, a third only in B,
# a third with another e-mail in B.
psql -q -d "$DATABASE" <<SQL
CREATE TABLE bench_a_contact (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), first_name VARCHAR(50), last_name VARCHAR(50),
    phone VARCHAR(30), city VARCHAR(50), status VARCHAR(20), updated_at VARCHAR(40));
CREATE TABLE bench_b_contact (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), first_name VARCHAR(50), last_name VARCHAR(50),
    phone VARCHAR(30), city VARCHAR(50), status VARCHAR(20), updated_at TIMESTAMP WITH TIME ZONE);
INSERT INTO bench_a_contact SELECT 'c-' || lpad(g::text, 8, '0'), ' User' || g || '@Example.COM', 'First' || g, 'Last' || g,
    '020 79' || lpad((g % 1000000)::text, 6, '0'), 'City' || (g % 500), 'active', '2024-03-01T10:30:00+01:00'
    FROM generate_series(1, $N) g WHERE g % 3000 <> 1;
INSERT INTO bench_b_contact SELECT 'c-' || lpad(g::text, 8, '0'),
    CASE WHEN g % 3000 = 2 THEN 'changed' || g || '@example.com' ELSE 'user' || g || '@example.com' END,
    'First' || g, 'Last' || g, '+442079' || lpad((g % 1000000)::text, 6, '0'), 'City' || (g % 500), 'active',
    TIMESTAMP WITH TIME ZONE '2024-03-01T09:30:00Z'
    FROM generate_series(1, $N) g WHERE g % 3000 <> 0;
INSERT INTO bench_b_contact SELECT 'c-x' || lpad(g::text, 8, '0'), 'x' || g || '@example.com', 'X', 'X', NULL, 'X', 'active',
    TIMESTAMP WITH TIME ZONE '2024-03-01T09:30:00Z' FROM generate_series(1, $N / 3000) g;
ANALYZE;
SQL
fi
if [ "$CASES" != full ]; then  # bisection, maintained, all
# Two databases, one table each. Side C writes e-mails in mixed case with spaces around (its
# contract trims and lower-cases them, which PostgreSQL can follow); side D holds them normalised.
# Every 10,000th record differs: a third missing from D, a third missing from C, a third with
# another e-mail in D.
TABLE="CREATE TABLE bisect_contact (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), first_name VARCHAR(50),
    last_name VARCHAR(50), phone VARCHAR(30), city VARCHAR(50), status VARCHAR(20), updated_at TIMESTAMP WITH TIME ZONE)"
psql -q -d "$DATABASE" <<SQL
$TABLE;
INSERT INTO bisect_contact SELECT 'c-' || lpad(g::text, 8, '0'), ' User' || g || '@Example.COM ', 'First' || g, 'Last' || g,
    '+442079' || lpad((g % 1000000)::text, 6, '0'), 'City' || (g % 500), 'active', TIMESTAMP WITH TIME ZONE '2024-03-01T09:30:00Z'
    FROM generate_series(1, $N) g WHERE g % 30000 <> 1;
ANALYZE bisect_contact;
SQL
psql -q -d "$SECOND" <<SQL
$TABLE;
INSERT INTO bisect_contact SELECT 'c-' || lpad(g::text, 8, '0'),
    CASE WHEN g % 30000 = 2 THEN 'changed' || g || '@example.com' ELSE 'user' || g || '@example.com' END,
    'First' || g, 'Last' || g, '+442079' || lpad((g % 1000000)::text, 6, '0'), 'City' || (g % 500), 'active',
    TIMESTAMP WITH TIME ZONE '2024-03-01T09:30:00Z'
    FROM generate_series(1, $N) g WHERE g % 30000 <> 0;
ANALYZE bisect_contact;
SQL
fi

uptime
java -Xmx256m ${BENCH_JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    io.syncline.bench.ReconcileBenchmark "jdbc:postgresql://$PGHOST:5432/$DATABASE" "$PGUSER" "jdbc:postgresql://$PGHOST:5432/$SECOND" "$CASES"
uptime
