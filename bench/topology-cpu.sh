#!/usr/bin/env bash
# The conversa topology's CPU cost at two commits, alternated A B A B in one session (bench/topology/):
#   bench/topology-cpu.sh BEFORE_COMMIT [webhooks, default 50000] [pairs, default 5] [runs per turn, default 3]
# The before commit's and HEAD's stream-processor are each built in a worktree of their own (so nothing of the
# checkout's own build changes), the benchmark compiled against each, and the two run in turn; printed: each
# turn's median webhooks per CPU second and each pair's ratio after/before.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
before=${1:?usage: bench/topology-cpu.sh BEFORE_COMMIT [webhooks] [pairs] [runs]}
webhooks=${2:-50000}
pairs=${3:-5}
runs=${4:-3}
work=$(mktemp -d)
cleanup() {
  git worktree remove --force "$work/before" >/dev/null 2>&1 || true
  git worktree remove --force "$work/after" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# builds the stream-processor of a checkout and compiles the benchmark against it; prints its classpath
build() {
  local checkout=$1 out=$2
  # one reactor build, so the sibling modules resolve to this checkout's own and nothing is installed; every module
  # writes the file, the stream-processor last
  (cd "$checkout" && ./mvnw -B -q -DskipTests -Dclients.skip=true -pl stream-processor -am package \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath" >/dev/null)
  local classpath="$checkout/stream-processor/target/classes:$(cat "$out/classpath")"
  javac -d "$out/classes" -cp "$classpath" bench/topology/TopologyCpuBenchmark.java
  echo "$out/classes:$classpath"
}

git worktree add -q --detach "$work/before" "$before"
git worktree add -q --detach "$work/after" HEAD
mkdir -p "$work/a" "$work/b"
echo "building $before and $(git rev-parse --short HEAD)..."
before_cp=$(build "$work/before" "$work/a")
after_cp=$(build "$work/after" "$work/b")

run() {
  java -Xmx2g -cp "$1" TopologyCpuBenchmark "$webhooks" "$runs" | awk '/^median/ {print $2}'
}
for pair in $(seq 1 "$pairs"); do
  a=$(run "$before_cp")
  b=$(run "$after_cp")
  echo "pair $pair: before $a, after $b webhooks per CPU second, after/before $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')"
done
