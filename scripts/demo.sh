#!/usr/bin/env bash
# The whole tour in one command, from a fresh clone: build the CLI if needed, export a ResNet-50 v2
# as a SavedModel, print its layer summary, draw a few test pictures and classify them in a fresh
# JVM. The weights are freshly initialized (seed 42), not trained: the classes it predicts are
# arbitrary, the pipeline and the latencies are what this shows.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
resnet="$root/scripts/resnet"
cd "$root"

images="$(mktemp -d "${TMPDIR:-/tmp}/resnet-demo.XXXXXX")"
trap 'rm -rf "$images"' EXIT

echo "== 1/4 Export ResNet-50 v2 (1000 classes, images resized to 256, 224x224 crop, seed 42)"
"$resnet" export --depth 50 --classes 1000 --min-aspect-dim 256 --resize-dim 224 --seed 42 \
  --output-dir models --name resnet50 --version 1 --overwrite

echo
echo "== 2/4 Its layers"
"$resnet" summary --depth 50 --classes 1000 --resize-dim 224

echo
echo "== 3/4 Test pictures"
"$resnet" generate-images --output-dir "$images"

echo
echo "== 4/4 Top-5 classes per picture, from models/resnet50 loaded in a new JVM"
"$resnet" predict --top-k 5 models/resnet50 "$images"/*
