#!/usr/bin/env bash
# Runs the JMH benchmarks (src/bench/java, Maven profile `bench`) and writes its section of
# docs/benchmarks.md (between the bench markers; the rest of the file is left as it is):
# ResNet-50 inference through the Classifier and a raw session with TensorFlow's oneDNN off and
# on, the plain and the `--optimize` export, the MatMul ceiling, graph construction, SavedModel
# export and load, tensor transfer and a training step. About 20-25 minutes on a 2-core machine.
#
#   scripts/bench.sh                       # the full run, writes its section of docs/benchmarks.md
#   scripts/bench.sh --quick               # smoke test: 1 short iteration each, writes
#                                          # target/bench/benchmarks-quick.md instead
#   scripts/bench.sh --only construction [--iterations N] [--warmup N]
#                                          # one part (construction, inference or other),
#                                          # JMH's console output only, no report
#   BENCH_ROUNDS=3 scripts/bench.sh        # more interleaved inference rounds (default 2)
#
# Everything it builds and exports goes under target/bench/ (not tracked).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/report-section.sh
source "$root/scripts/lib/report-section.sh"

quick=false
only=""
overrides=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --only) only="$2"; shift 2 ;;
    --iterations|--warmup|--seconds) overrides+=("$1" "$2"); shift 2 ;;
    *) echo "Unknown argument: $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
if $quick; then
  overrides+=(--warmup 0 --iterations 1 --seconds 1)
fi

export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
# Unset: TensorFlow's own choice for this CPU. The inference rounds set it per run.
unset TF_ENABLE_ONEDNN_OPTS
bench_dir="$root/target/bench"
models="$bench_dir/models"
out="$bench_dir/results"
rounds="${BENCH_ROUNDS:-2}"
$quick && rounds=1
started_epoch=$(date +%s)
load_before=$(cut -d' ' -f1 /proc/loadavg)

echo "== CPU: $(grep -m3 -E "cpu family|model" /proc/cpuinfo | sed 's/[[:space:]]*:[[:space:]]*/: /' | paste -sd ';' | sed 's/;/; /g')"
echo "== Building the benchmarks (mvn -Pbench)"
mvn -B -q -Pbench compile dependency:build-classpath \
  -Dmdep.outputFile="$bench_dir/classpath.txt" -Dmdep.includeScope=runtime
cp="$bench_dir/classes:$(cat "$bench_dir/classpath.txt")"
run_java() { java -Djava.awt.headless=true -cp "$cp" "$@"; }
suite() {
  run_java io.github.resnetjava.bench.BenchmarkSuite --models "$models" \
    --results "$out/results.tsv" "$@" ${overrides[@]+"${overrides[@]}"}
}

export_models() {
  echo "== Exporting ResNet-50 (seed 42, trained-like biases and batch norms) to $models:"
  echo "   plain and optimized (what \`resnet export --optimize\` writes)"
  run_java io.github.resnetjava.bench.BenchModelExport "$models"
}

if [[ -n "$only" ]]; then
  mkdir -p "$out"
  [[ "$only" == construction ]] || export_models
  suite --part "$only" --results "$out/only-$only.tsv"
  exit 0
fi

export_models
# Whether TensorFlow turns oneDNN on by itself on this CPU: it says so when it loads.
if TF_CPP_MIN_LOG_LEVEL=0 java -cp "$cp" \
    io.github.resnetjava.cli.ResNetCli summary --depth 18 2>&1 >/dev/null \
    | grep -q "oneDNN custom operations are on"; then
  onednn_default=on
else
  onednn_default=off
fi
echo "== oneDNN by default on this CPU: $onednn_default"

mkdir -p "$out"
rm -f "$out/results.tsv" "$out/loads.txt"
log="$out/bench.log"
: > "$log"
# One-minute load average every 20 s, to tell a quiet run from a contended one.
( while true; do cut -d' ' -f1 /proc/loadavg >> "$out/loads.txt"; sleep 20; done ) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then modes=(off on); else modes=(on off); fi
  for mode in "${modes[@]}"; do
    flag=$([[ "$mode" == on ]] && echo 1 || echo 0)
    echo "== Round $round/$rounds: ResNet-50 inference, oneDNN $mode"
    TF_ENABLE_ONEDNN_OPTS=$flag suite --part inference --onednn "$mode" --round "$round" \
      | tee -a "$log"
  done
done
for part in construction other; do
  echo "== $part (TensorFlow's default oneDNN setting)"
  suite --part "$part" --onednn default | tee -a "$log"
done
echo "== Top-1 agreement of the two exports"
run_java -Dresnet.bench.models="$models" io.github.resnetjava.bench.ExportAgreement \
  "$out/agreement.properties"

kill "$sampler" 2>/dev/null || true
load_during=$(sort -n "$out/loads.txt" | sed -n '1p;$p' | paste -sd' ' | awk '{print $1 " to " $2}')
if $quick; then
  schedule="quick mode: no warm-up, 1 measured 1-s iteration (a smoke test, not for publishing)"
  report="$bench_dir/benchmarks-quick.md"
else
  schedule="iterations as BenchmarkSuite sets them (inference: a warm-up batch, then 1 warm-up"
  schedule+=" and 2 measured 3-s iterations per round, 6-s for the paired runs)"
  report="$root/docs/benchmarks.md"
fi
cat > "$out/run.properties" <<EOF
finished=$(date -u +"%Y-%m-%d %H:%M UTC")
minutes=$(( ($(date +%s) - started_epoch + 59) / 60 ))
rounds=$rounds
schedule=$schedule
oneDnnDefault=$onednn_default
loadBefore=$load_before
loadDuring=$load_during
loadAfter=$(cut -d' ' -f1 /proc/loadavg)
EOF
run_java -Dresnet.bench.models="$models" io.github.resnetjava.bench.BenchmarkReport \
  --results "$out/results.tsv" --run "$out/run.properties" \
  --agreement "$out/agreement.properties" --output "$out/section.md"
$quick && rm -f "$report"
write_report_section "$report" bench "$(cat "$out/section.md")"
echo "Wrote the bench section of $report"
