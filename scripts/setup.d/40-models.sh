#!/usr/bin/env bash
# Builds the default model pack into models/ (git-ignored) with `build/ocular convert`: each
# TF.js model of the pinned npm packages becomes models/<name>/<version>/{model.onnx,config.json
# [,labels.txt]}. Pack specs (config fields, labels, decoding params) are in tools/convert/pack/.
# Idempotent: a model whose config.json records the same source sha256s, spec fields and
# model.onnx hash is skipped without converting. The whole pack converts in a few seconds.
set -euo pipefail
cd "$OCULAR_ROOT"
source scripts/licenses.sh
BIN="${OCULAR_BIN:-build/ocular}"
REPO="${OCULAR_MODEL_REPO:-models}"
VERSION="2026-11-26"  # the pack's date: modelVersion in API responses
HM=".deps/npm/@vladmandic+human-models@3.0.4/package/models"
NSFW=".deps/npm/nsfwjs@4.4.0/package/dist/models/mobilenet_v2"
YOLO=".deps/npm/@good-i-deer+node-red-contrib-object-detection@1.0.3/package/model"

# name <TAB> source (spec: tools/convert/pack/<name>.json)
PACK="centernet	$HM/centernet.json
nanodet	$HM/nanodet.json
facemesh-detection-full	$HM/facemesh-detection-full.json
mobilefacenet	$HM/mobilefacenet.json
faceres	$HM/faceres.json
nsfw-mobilenet-v2	$NSFW/model.min.js
landmark-descriptor	$NSFW/model.min.js
selfie	$HM/selfie.json"
# The YOLOv8 detector tiers are official Ultralytics ONNX exports, imported unchanged (labels and
# licence from the models' own metadata, checked against the spec). Copyleft: skipped, and
# removed from the repository, when OCULAR_MODEL_LICENSES=permissive.
for tier in yolov8n yolov8s yolov8m; do
  license="$(sed -n 's/.*"license": "\([^"]*\)".*/\1/p' "tools/convert/pack/$tier.json")"
  if license_allowed "$license"; then
    PACK="$PACK
$tier	$YOLO/$tier.onnx"
  elif [ -d "$REPO/$tier" ]; then
    echo "    removing $REPO/$tier ($license): OCULAR_MODEL_LICENSES=permissive"
    rm -rf "${REPO:?}/$tier"
  fi
done

[ -x "$BIN" ] || { echo "$BIN is missing: the build step (30-build.sh) must run first" >&2; exit 1; }
mkdir -p "$REPO"
failed=0
while IFS=$'\t' read -r name src; do
  if [ ! -f "$src" ]; then
    echo "!!! model source $src missing (the npm step unpacks it)" >&2
    failed=1
    continue
  fi
  start=$(date +%s%N)
  if out=$("$BIN" convert "$src" "$REPO" --spec "tools/convert/pack/$name.json" --version "$VERSION" 2>&1); then
    echo "    $(echo "$out" | head -1) [$(( ($(date +%s%N) - start) / 1000000 )) ms]"
  else
    echo "!!! converting $name failed:" >&2
    echo "$out" >&2
    failed=1
  fi
done <<< "$PACK"
# The landmark descriptor's background set (descriptors of ordinary photos for the cohort test,
# src/analyzers/galleries/landmark_global.h) is data, not a converted model: it is versioned in the repo,
# gzipped (4.8 MB of text, 1.5 MB packed; regenerate with `build/bench/landmarks_eval
# --write-background FILE --coco DIR` and `gzip -9 -n FILE`).
if [ -d "$REPO/landmark-descriptor/$VERSION" ]; then
  gzip -dc tools/convert/pack/landmark-background.txt.gz > "$REPO/landmark-descriptor/$VERSION/background.txt"
fi
exit $failed
