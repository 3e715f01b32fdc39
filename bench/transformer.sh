#!/usr/bin/env bash
# Transformer throughput: a 20-field record, one thread, CRM record -> canonical -> ERP row.
# Usage: bench/transformer.sh [extra JMH options]     (JMH prints records/s as ops/s)
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    org.openjdk.jmh.Main 'io.syncline.bench.TransformerBenchmark' "$@"
