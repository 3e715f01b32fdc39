#!/usr/bin/env bash
# The experiment behind docs/set-based-apply.md's measured figure for Camel's per-event routing:
# bench/experiments/loop-apply.patch takes a batch's events through the Quickstart apply route's
# stages (the same beans, in the same order) in a Java loop, where the route sends each event
# down three routes on an exchange of its own. Not a design to ship (the route's steps move into
# Java, and only the happy path is covered; a failure rolls the batch back and each event is
# applied alone through the routes, as always): a measurement of what the routing costs.
# Builds main (this checkout) and the patched copy, then drains new contacts with each in turn.
# Usage: bench/loop-apply-experiment.sh [pairs (3)]   (BENCH_EVENTS, BENCH_DRAIN_WARMUP as for end-to-end.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

PAIRS=${1:-3}
WORKTREE=${BENCH_EXPERIMENT_DIR:-/tmp/syncline-loop-apply}
bench_jar
git worktree remove --force "$WORKTREE" 2>/dev/null || rm -rf "$WORKTREE"
git worktree add -q --detach "$WORKTREE" HEAD
trap 'bench_stop; git worktree remove --force "$WORKTREE"' EXIT
git -C "$WORKTREE" apply "$PWD/bench/experiments/loop-apply.patch"
echo "building the experiment in $WORKTREE"
(cd "$WORKTREE" && ./mvnw -B -q package -DskipTests)

for pair in $(seq "$PAIRS"); do
    for build in loop main; do
        jar=$PWD/target/quarkus-app/quarkus-run.jar
        [ "$build" = loop ] && jar=$WORKTREE/target/quarkus-app/quarkus-run.jar
        echo "== $build, pair $pair"
        BENCH_JAR=$jar BENCH_EVENTS=${BENCH_EVENTS:-10000} BENCH_DRAIN_WARMUP=${BENCH_DRAIN_WARMUP:-10000} \
            bench/end-to-end.sh throughput 1 | grep -E '^run 1: [0-9]'
    done
done
