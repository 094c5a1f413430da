#!/usr/bin/env bash
# Prints graph construction time for every ResNet depth (a benchmark, not a test).
# Usage: scripts/bench-construction.sh [repeats] [warmup]
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
mvn -B -q compile
mvn -B -q exec:java -Dexec.mainClass=io.github.resnetjava.bench.GraphConstructionBench \
  -Dexec.args="${1:-5} ${2:-2}"
