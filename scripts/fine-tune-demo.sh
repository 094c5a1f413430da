#!/usr/bin/env bash
# Transfer learning on the synthetic shapes: pretrain a ResNet-18 v2 on six shapes (circle,
# square, triangle, diamond, plus, cross, any colour), then fine-tune it on four classes it has
# never seen (red and green stars and rings), and train the same four-class model from scratch
# with the same options for comparison. Prints each run's validation accuracy and the steps it
# needed to reach the target accuracy. Works from a fresh clone (the CLI jar is built if needed).
# Pretraining follows scripts/train-demo.sh's recipe (batch 64, rate 0.05, 1500 steps): a first
# try with 600 steps of 32 images stayed at chance level (loss spiking to 6 at step 60).
# Fine-tuning trains the restored layers at a tenth of the rate (--backbone-lr-scale 0.1, the
# usual transfer-learning recipe) and the new logits layer at the full rate: with the full rate
# everywhere the pretrained features are disturbed and the fine-tuned run needed as many steps to
# 0.9 as the run from scratch (125 each, 2026-12-04), though it started far higher (0.74 vs 0.25
# at step 25).
#
#   scripts/fine-tune-demo.sh                          # everything under target/fine-tune-demo/
#   PRETRAIN_STEPS=1200 FINE_TUNE_STEPS=400 TARGETS="0.9 0.95" BACKBONE_LR_SCALE=1 scripts/fine-tune-demo.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/demo.sh"

image_size=32
seed=42
pretrain_steps="${PRETRAIN_STEPS:-1500}"
fine_tune_steps="${FINE_TUNE_STEPS:-300}"
read -r -a targets <<<"${TARGETS:-0.7 0.8 0.9}"
backbone_lr_scale="${BACKBONE_LR_SCALE:-0.1}"
eval_every=25

fresh_demo_folder fine-tune-demo
"$resnet" --version >/dev/null  # builds the jar if needed, before the helper needs it
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
helper() { run_java_script FineTuneDemo.java "$@"; }
seconds_since() { echo $(($(date +%s) - $1)); }

echo "== 1/4 Pretrain on 6 synthetic shapes ($pretrain_steps steps)"
start=$(date +%s)
"$resnet" train synthetic --depth 18 --image-size "$image_size" --classes 6 \
  --synthetic-train-size 6000 --synthetic-validation-size 600 \
  --batch 64 --steps "$pretrain_steps" --lr 0.05 --warmup-steps 75 --seed "$seed" \
  --eval-every "$eval_every" --checkpoint-every "$pretrain_steps" --keep-checkpoints 1 \
  --checkpoint-dir "$out/runs/pretrain" --output-dir "$out/models" --name shapes6 --version 1
pretrain_seconds=$(seconds_since "$start")

echo
echo "== 2/4 Draw the 4 new classes (red/green star, red/green ring) as an image folder"
helper images "$out/stars-rings" "$image_size" 500 100 "$seed"

common=(--depth 18 --image-size "$image_size" --classes 4 --batch 64 --steps "$fine_tune_steps"
  --lr 0.05 --warmup-steps 15 --seed "$seed" --eval-every "$eval_every"
  --checkpoint-every "$fine_tune_steps" --keep-checkpoints 1 --output-dir "$out/models")

echo
echo "== 3/4 Fine-tune the pretrained model on them ($fine_tune_steps steps, restored layers at" \
  "$backbone_lr_scale x the rate)"
start=$(date +%s)
"$resnet" train "$out/stars-rings" "${common[@]}" --init-from "$out/models/shapes6" \
  --backbone-lr-scale "$backbone_lr_scale" \
  --checkpoint-dir "$out/runs/fine-tune" --name stars-rings-fine-tuned --version 1
fine_tune_seconds=$(seconds_since "$start")

echo
echo "== 4/4 Train the same model from scratch with the same options ($fine_tune_steps steps)"
start=$(date +%s)
"$resnet" train "$out/stars-rings" "${common[@]}" \
  --checkpoint-dir "$out/runs/scratch" --name stars-rings-scratch --version 1
scratch_seconds=$(seconds_since "$start")

echo
printf 'Validation accuracy after each run, and the first evaluated step (every %d) at or above each target:\n' \
  "$eval_every"
printf '  %-34s %8s %10s' run steps accuracy
for target in "${targets[@]}"; do printf ' %9s' "to $target"; done
printf ' %8s\n' seconds
report() {
  local name="$1" steps="$2" seconds="$3" csv="$4" reached accuracy
  printf '  %-34s %8d' "$name" "$steps"
  local first=1
  for target in "${targets[@]}"; do
    read -r reached accuracy < <(helper steps "$csv" "$target")
    if ((first)); then printf ' %10s' "$accuracy"; first=0; fi
    printf ' %9s' "$reached"
  done
  printf ' %8d\n' "$seconds"
}
report "pretrain, 6 shapes, from scratch" "$pretrain_steps" "$pretrain_seconds" \
  "$out/runs/pretrain/metrics.csv"
report "4 new classes, fine-tuned" "$fine_tune_steps" "$fine_tune_seconds" \
  "$out/runs/fine-tune/metrics.csv"
report "4 new classes, from scratch" "$fine_tune_steps" "$scratch_seconds" \
  "$out/runs/scratch/metrics.csv"
