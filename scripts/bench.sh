#!/usr/bin/env bash
# Runs the JMH benchmarks (src/bench/java, Maven profile `bench`) and writes its section of
# docs/benchmarks.md (between the bench markers; the rest of the file is left as it is).
#
# The oneDNN matrix of issue 8, in interleaved rounds, one process per setting of
# TF_ENABLE_ONEDNN_OPTS: unset ("default": what a host JVM that sets nothing gets, where
# Classifier.load sets 0 itself, OneDnnPolicy), 0 ("off": what the library chooses for inference,
# scripts/resnet predict|serve included) and 1 ("on"). In each: ResNet-50 through the Classifier, plain
# and `--optimize` exports, batch 1 and 8, and the MatMul ceiling; in the unset process also DJL
# 0.36 (PyTorch 2.7.1, ResNetV1-50) at the same batches and thread count; then
# `scripts/resnet train` (ResNet-18, 32x32, batch 64) under each setting. Also bfloat16 against
# float32 on 100 images, graph construction, SavedModel export and load, tensor transfer and a
# training step. The full run adds batch 32, the raw-session overhead, TensorFlow's default threads
# and bfloat16 throughput: about 45 minutes on a 2-core machine; --bounded keeps the matrix and
# takes about 25.
#
#   scripts/bench.sh                       # the full run, writes its section of docs/benchmarks.md
#   scripts/bench.sh --bounded             # the matrix and the rest, without the full run's extras
#   scripts/bench.sh --quick               # smoke test: 1 short iteration each, writes
#                                          # target/bench/benchmarks-quick.md instead
#   scripts/bench.sh --allocator           # TensorFlow's BFC CPU allocator against malloc: ResNet-50
#                                          # (optimized, batch 8 and 1) in alternating processes,
#                                          # console output only (BENCH_ROUNDS, default 5)
#   scripts/bench.sh --only construction [--iterations N] [--warmup N]
#                                          # one part (construction, inference or other),
#                                          # JMH's console output only, no report
#   BENCH_ROUNDS=3 scripts/bench.sh        # more interleaved rounds (default 2)
#   BENCH_TRAIN_STEPS=80 scripts/bench.sh  # steps of each `resnet train` run (default 50)
#
# Builds run at nice 19, so that other work on the machine yields to the measurements, not the
# other way round. Everything it builds and exports goes under target/bench/ (not tracked).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/report-section.sh
source "$root/scripts/lib/report-section.sh"

quick=false
full=true
only=""
overrides=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --bounded) full=false; shift ;;
    --allocator) only=allocator; shift ;;
    --only) only="$2"; shift 2 ;;
    --iterations|--warmup|--seconds) overrides+=("$1" "$2"); shift 2 ;;
    *) echo "Unknown argument: $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
if $quick; then
  overrides+=(--warmup 0 --iterations 1 --seconds 1)
  full=false
fi

export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
# Unset: TensorFlow's own choice for this CPU. The inference rounds set it per run.
unset TF_ENABLE_ONEDNN_OPTS
# Unset: the library chooses the CPU allocator (CpuAllocatorPolicy: BFC).
unset TF_CPU_ALLOCATOR_USE_BFC
bench_dir="$root/target/bench"
models="$bench_dir/models"
out="$bench_dir/results"
rounds="${BENCH_ROUNDS:-2}"
train_steps="${BENCH_TRAIN_STEPS:-50}"
$quick && rounds=1 && train_steps=8
started_epoch=$(date +%s)
load_before=$(cut -d' ' -f1 /proc/loadavg)

echo "== CPU: $(grep -m3 -E "cpu family|model" /proc/cpuinfo | sed 's/[[:space:]]*:[[:space:]]*/: /' | paste -sd ';' | sed 's/;/; /g')"
echo "== Building the benchmarks (mvn -Pbench) and the command-line jar, at nice 19"
nice -n 19 mvn -B -q -Pbench compile dependency:build-classpath \
  -Dmdep.outputFile="$bench_dir/classpath.txt" -Dmdep.includeScope=runtime
nice -n 19 "$root/scripts/resnet" --help >/dev/null
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

if [[ "$only" == allocator ]]; then
  export_models
  echo "== CPU allocator: -Dresnet.cpu-allocator=bfc (TF_CPU_ALLOCATOR_USE_BFC=true, the library's"
  echo "   default) against =tensorflow (malloc with oneDNN off), oneDNN as the library chooses"
  echo "   (off for inference), ResNet-50 optimized export, one process per line, ${BENCH_ROUNDS:-5} rounds"
  printf 'batch\tsetting\timages/s\tmedian ms\tfaults/run\tsystem\tpeak RSS MiB\n'
  for batch in 8 1; do
    for ((round = 1; round <= ${BENCH_ROUNDS:-5}; round++)); do
      for allocator in bfc tensorflow; do
        printf '%s\t' "$batch"
        run_java "-Dresnet.cpu-allocator=$allocator" io.github.resnetjava.bench.AllocatorProbe \
          "$models/resnet50-optimized/1" "$batch" 10 2>/dev/null
      done
    done
  done
  exit 0
fi
if [[ -n "$only" ]]; then
  mkdir -p "$out"
  [[ "$only" == construction ]] || export_models
  suite --part "$only" --results "$out/only-$only.tsv"
  exit 0
fi

export_models
# Whether a process runs TensorFlow's oneDNN operations: TensorFlow says so when it loads.
onednn_of() { # the command to run
  if TF_CPP_MIN_LOG_LEVEL=0 "$@" 2>&1 >/dev/null | grep -q "oneDNN custom operations are on"; then
    echo on
  else
    echo off
  fi
}
onednn_default=$(onednn_of java -cp "$cp" io.github.resnetjava.cli.ResNetCli summary --depth 18)
echo "== oneDNN by default on this CPU (a JVM that sets nothing): $onednn_default"
"$root/scripts/resnet" generate-images --output-dir "$bench_dir/images" >/dev/null
probe_image="$(ls "$bench_dir"/images/*.jpg | head -1)"
onednn_launcher=$(onednn_of "$root/scripts/resnet" predict "$models/plain" "$probe_image")
echo "== oneDNN under scripts/resnet predict: $onednn_launcher"

mkdir -p "$out"
rm -f "$out/results.tsv" "$out/loads.txt"
log="$out/bench.log"
: > "$log"
# One-minute load average every 20 s, to tell a quiet run from a contended one.
( while true; do cut -d' ' -f1 /proc/loadavg >> "$out/loads.txt"; sleep 20; done ) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

# One process per setting: "default" leaves TF_ENABLE_ONEDNN_OPTS unset (exported away above).
with_onednn() { # $1 = default|off|on, then the command
  local mode="$1"
  shift
  case "$mode" in
    default) "$@" ;;
    off) TF_ENABLE_ONEDNN_OPTS=0 "$@" ;;
    on) TF_ENABLE_ONEDNN_OPTS=1 "$@" ;;
  esac
}
train_params="depth=18,imageSize=32,batch=64,steps=$train_steps"
train_run() { # $1 = setting, $2 = round: `resnet train` as a user runs it, through the launcher
  local dir="$out/train-$1-$2"
  rm -rf "$dir"
  with_onednn "$1" "$root/scripts/resnet" train synthetic --depth 18 --image-size 32 --batch 64 \
    --steps "$train_steps" --synthetic-train-size 640 --synthetic-validation-size 64 \
    --eval-every "$train_steps" --checkpoint-every "$train_steps" --no-export \
    --checkpoint-dir "$dir" >"$dir.log" 2>&1
  run_java io.github.resnetjava.bench.TrainCommandSteps --csv "$dir/metrics.csv" --batch 64 \
    --params "$train_params" --onednn "$1" --round "$2" --results "$out/results.tsv"
}
for ((round = 1; round <= rounds; round++)); do
  case $((round % 3)) in
    1) modes=(default off on) ;;
    2) modes=(on off default) ;;
    0) modes=(off default on) ;;
  esac
  for mode in "${modes[@]}"; do
    echo "== Round $round/$rounds: ResNet-50 inference, TF_ENABLE_ONEDNN_OPTS $mode"
    with_onednn "$mode" suite --part inference --onednn "$mode" --round "$round" --full "$full" \
      | tee -a "$log"
  done
  for mode in "${modes[@]}"; do
    echo "== Round $round/$rounds: scripts/resnet train, $train_steps steps, TF_ENABLE_ONEDNN_OPTS $mode"
    train_run "$mode" "$round" | tee -a "$log"
  done
done
for part in construction other; do
  echo "== $part (TensorFlow's default oneDNN setting)"
  suite --part "$part" --onednn default | tee -a "$log"
done
echo "== Top-1 agreement: optimized vs plain export, bfloat16 vs float32 (TensorFlow's default)"
# TensorFlow's own oneDNN choice (not the library's inference one), since bfloat16 needs oneDNN.
run_java -Dresnet.bench.models="$models" -Dresnet.onednn=tensorflow \
  io.github.resnetjava.bench.ExportAgreement \
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
full=$full
trainSteps=$train_steps
schedule=$schedule
oneDnnDefault=$onednn_default
oneDnnLauncherPredict=$onednn_launcher
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
