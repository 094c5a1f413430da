#!/usr/bin/env bash
# Spark batch-inference throughput: SparkClassifier on local[1] and local[2] against the
# Classifier in-process with 1 and 2 threads, same JPEGs, same batch, interleaved rounds
# (src/bench/java/.../SparkThroughputBenchmark.java). Prints the CPU, the load average, one line
# per measurement and a Markdown table (the "Spark batch inference" section of docs/benchmarks.md).
#
#   scripts/bench-spark.sh [--images 256] [--batch 16] [--rounds 3] [--model DIR]
#
# Without --model it exports a ResNet-50 (fresh weights, seed 42) under target/bench/spark/ once.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/spark-env.sh
source "$root/scripts/spark-env.sh"
work="$root/target/bench/spark"
model=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --images|--batch|--rounds) args+=("$1" "$2"); shift 2 ;;
    *) echo "Unknown argument: $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done

echo "== Building (mvn -Pbench)"
mvn -B -q -Pbench compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath.txt"
cp="$root/target/bench/classes:$(cat "$work/classpath.txt")"
java_options="$(spark_java_options "$work")"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"

if [[ -z "$model" ]]; then
  model="$work/models/resnet50"
  if [[ ! -d "$model/1" ]]; then
    echo "== Exporting ResNet-50 to $model"
    java -Djava.awt.headless=true -cp "$cp" io.github.resnetjava.cli.ResNetCli export --depth 50 \
      --classes 1000 --min-aspect-dim 256 --resize-dim 224 --seed 42 \
      --output-dir "$work/models" --name resnet50 --version 1 >/dev/null
  fi
fi

echo "== CPU"
grep -m3 -E "cpu family|model" /proc/cpuinfo
echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086 # the option list is split on purpose.
java -Djava.awt.headless=true -Xmx6g $java_options -cp "$cp" \
  io.github.resnetjava.bench.SparkThroughputBenchmark --model "$model" --work "$work" \
  ${args[@]+"${args[@]}"}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
