#!/usr/bin/env bash
# Trains a ResNet-18 v2 from scratch on the built-in synthetic shapes (10 classes of coloured
# shapes, 32x32, no download), exports it as a SavedModel, then loads that SavedModel in a fresh
# JVM and classifies the validation images again. Works from a fresh clone: the CLI jar is built
# first if needed. About 4 to 5 minutes on a 2-core CPU.
#
#   scripts/train-demo.sh                 # everything under target/train-demo/
#   TRAIN_DEMO_STEPS=3000 scripts/train-demo.sh
#
# The output ends with the validation accuracy recorded by training and the one the exported
# model reproduces through both serving signatures; the script fails if they differ by more than
# half a point or the model is below 90%.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/demo.sh"

classes=10
image_size=32
validation_size=2000
seed=42
steps="${TRAIN_DEMO_STEPS:-1500}"

fresh_demo_folder train-demo
demo_start=$(date +%s)

echo "== 1/2 Train ResNet-18 v2 on synthetic shapes ($classes classes, ${image_size}x${image_size}), export it"
"$resnet" train synthetic \
  --depth 18 --image-size "$image_size" --classes "$classes" \
  --synthetic-train-size 10000 --synthetic-validation-size "$validation_size" \
  --batch 64 --steps "$steps" --schedule cosine --lr 0.05 --warmup-steps 75 --seed "$seed" \
  --eval-every 250 --checkpoint-every 500 --keep-checkpoints 2 \
  --checkpoint-dir "$out/run" --output-dir "$out/models" --name shapes --version 1
train_end=$(date +%s)

echo
echo "== 2/2 Load $out/models/shapes/1 in a fresh JVM and classify the validation images again"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
run_java_script TrainDemoCheck.java \
  "$out/models/shapes/1" "$out/run/metrics.csv" "$classes" "$image_size" "$validation_size" "$seed"
demo_end=$(date +%s)

printf 'Training and export: %d:%02d; whole demo: %d:%02d (metrics: %s, plot: %s)\n' \
  $(((train_end - demo_start) / 60)) $(((train_end - demo_start) % 60)) \
  $(((demo_end - demo_start) / 60)) $(((demo_end - demo_start) % 60)) \
  "$out/run/metrics.csv" "$out/run/metrics.png"
