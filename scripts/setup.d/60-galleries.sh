#!/usr/bin/env bash
# Default brand gallery (docs/galleries.md): links a documented subset of the simple-icons marks
# (npm simple-icons@16.37.0, CC0, unpacked by 20-npm.sh) into galleries/brands/<Title>/<slug>.svg
# and compiles the gallery index with `build/ocular gallery build`.
#   - Operator folders already in galleries/ are kept (a brand folder that exists is not touched).
#   - The subset is the consumer brands below: flat single-colour marks give few keypoints, and
#     every extra mark is a chance of a false match, so the default stays small. Add operator
#     logos (photos of the real mark) for production use; see docs/galleries.md.
#   - Each linked mark also gets brands/<Title>/colour.txt, the icon's brand `hex` from the
#     simple-icons data file: the colour + silhouette path for flat marks SIFT cannot match
#     (src/analyzers/galleries/brand_shape.h; not a template, so the index does not change).
#   - OCULAR_GALLERY_ICONS="slug slug ..." replaces the subset; OCULAR_GALLERY_ICONS=all links
#     every icon (slower to build, lower precision: measured in docs/accuracy.md).
# Idempotent: the index is rebuilt only when `ocular gallery verify` reports it out of date.
set -euo pipefail
cd "$OCULAR_ROOT"
BIN="${OCULAR_BIN:-build/ocular}"
DIR="${OCULAR_GALLERIES:-galleries}"
ICONS=".deps/npm/simple-icons@16.37.0/package/icons"
DATA=".deps/npm/simple-icons@16.37.0/package/data/simple-icons.json"
DEFAULT_ICONS="adidas airbnb aldinord americanexpress apple audi bmw bosch burgerking cocacola
dhl ebay facebook fedex ferrari fila ford google honda hp ikea instagram intel kfc lg lufthansa
mastercard mcdonalds mitsubishi netflix nike nikon nissan nvidia panasonic paypal peugeot
pinterest playstation porsche puma redbull renault samsung shell siemens sony spotify starbucks
target tesla toyota uber ups visa volkswagen volvo youtube"
SUBSET="${OCULAR_GALLERY_ICONS:-$DEFAULT_ICONS}"

[ -x "$BIN" ] || { echo "$BIN is missing: the build step (30-build.sh) must run first" >&2; exit 1; }
[ -d "$ICONS" ] || { echo "!!! $ICONS missing (the npm step unpacks simple-icons)" >&2; exit 1; }
mkdir -p "$DIR/brands" "$DIR/landmarks" "$DIR/celebrities"
if [ "$SUBSET" = "all" ]; then
  SUBSET="$(ls "$ICONS" | sed 's/\.svg$//')"
fi
linked=0
for slug in $SUBSET; do
  svg="$ICONS/$slug.svg"
  if [ ! -f "$svg" ]; then
    echo "    warning: simple-icons has no '$slug', skipped" >&2
    continue
  fi
  # The brand name is the icon's <title> (XML entities decoded; '/' is not allowed in a folder).
  title="$(sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$svg" | sed 's/&amp;/\&/g; s/&apos;/'"'"'/g; s/&quot;/"/g; s:/:-:g')"
  [ -n "$title" ] || title="$slug"
  folder="$DIR/brands/$title"
  if [ ! -e "$folder" ]; then
    mkdir -p "$folder"
    ln -s "$(realpath "$svg")" "$folder/$slug.svg"
    linked=$((linked + 1))
  fi
  # The brand colour, also for folders linked by an earlier run (never in operator folders).
  if [ -L "$folder/$slug.svg" ] && [ ! -e "$folder/colour.txt" ] && [ -f "$DATA" ]; then
    hex="$(grep -o "\"slug\":\"$slug\",\"hex\":\"[0-9A-Fa-f]\{6\}\"" "$DATA" | head -1 |
      sed 's/.*"hex":"\([0-9A-Fa-f]*\)"/\1/' || true)"
    if [ -n "$hex" ]; then echo "$hex" > "$folder/colour.txt"; fi
  fi
done
echo "    linked $linked new simple-icons marks into $DIR/brands"
if [ $linked -eq 0 ] && "$BIN" gallery verify --galleries "$DIR" > /dev/null 2>&1; then
  echo "    $DIR/.index is up to date"
  exit 0
fi
if ! out=$("$BIN" gallery build --galleries "$DIR" 2>&1); then
  echo "$out" >&2
  exit 1
fi
echo "$out" | grep -v '^warning' | sed 's/^/    /'
warnings=$(echo "$out" | grep -c '^warning' || true)
if [ "$warnings" -gt 0 ]; then
  echo "    $warnings images skipped (see: $BIN gallery verify --galleries $DIR)"
fi
