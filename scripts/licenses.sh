# Sourced by setup steps: which licences this install accepts.
# OCULAR_MODEL_LICENSES (default "all"): "all" installs every pinned package and model, including
# the copyleft YOLOv8 weights (AGPL-3.0 / GPL-3.0, README "Licences"); "permissive" installs only
# permissively licensed ones (MIT, Apache-2.0, BSD-*, ISC, CC0-1.0), and the service then runs
# the CenterNet + NanoDet ensemble detector.
OCULAR_MODEL_LICENSES="${OCULAR_MODEL_LICENSES:-all}"
case "$OCULAR_MODEL_LICENSES" in
  all|permissive) ;;
  *) echo "OCULAR_MODEL_LICENSES must be 'all' or 'permissive', not '$OCULAR_MODEL_LICENSES'" >&2; exit 2 ;;
esac

# license_allowed SPDX: true when this install accepts a package or model under licence SPDX.
license_allowed() {
  [ "$OCULAR_MODEL_LICENSES" = all ] && return 0
  case "$1" in
    MIT|Apache-2.0|BSD-2-Clause|BSD-3-Clause|ISC|CC0-1.0) return 0 ;;
    *) return 1 ;;
  esac
}
