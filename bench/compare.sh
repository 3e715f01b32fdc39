#!/usr/bin/env bash
# This checkout against an earlier build, drained in alternating pairs (this checkout first in
# each), as end-to-end.sh throughput or updates drains: on a machine that drifts within the
# hour, a pair run back to back says more than two series an hour apart. Builds the other
# revision in a throwaway worktree under /tmp (its own routes/ go with it), removed afterwards.
# Usage: bench/compare.sh <revision> [pairs (3)] [throughput|updates (throughput)]
#   (BENCH_EVENTS default 10000 and BENCH_DRAIN_WARMUP default 10000, as for end-to-end.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

REVISION=${1:?usage: bench/compare.sh <revision> [pairs] [throughput|updates]}
PAIRS=${2:-3}
MODE=${3:-throughput}
WORKTREE=${BENCH_COMPARE_DIR:-/tmp/syncline-compare}
bench_jar
git worktree remove --force "$WORKTREE" 2>/dev/null || rm -rf "$WORKTREE"
git worktree add -q --detach "$WORKTREE" "$REVISION"
trap 'bench_stop; git worktree remove --force "$WORKTREE"' EXIT
echo "building $REVISION in $WORKTREE"
(cd "$WORKTREE" && ./mvnw -B -q package -DskipTests)

for pair in $(seq "$PAIRS"); do
    for build in this "$REVISION"; do
        jar=$PWD/target/quarkus-app/quarkus-run.jar
        [ "$build" = this ] || jar=$WORKTREE/target/quarkus-app/quarkus-run.jar
        echo "== $build, pair $pair"
        BENCH_JAR=$jar BENCH_EVENTS=${BENCH_EVENTS:-10000} BENCH_DRAIN_WARMUP=${BENCH_DRAIN_WARMUP:-10000} \
            bench/end-to-end.sh "$MODE" 1 | grep -E '^run 1: [0-9]'
    done
done
