#!/usr/bin/env bash
# Graph construction time of every ResNet depth and data format (JMH; a benchmark, not a test).
# Usage: scripts/bench-construction.sh [iterations] [warmup-iterations]   (1-s iterations)
# The full suite, with the report in docs/benchmarks.md, is scripts/bench.sh.
set -euo pipefail
exec "$(dirname "$0")/bench.sh" --only construction --iterations "${1:-3}" --warmup "${2:-2}"
