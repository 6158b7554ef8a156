#!/usr/bin/env bash
# One-command setup: installs Debian and pinned npm packages, builds Release into build/, and
# prepares the default model pack. Idempotent: a second run with nothing changed takes seconds.
# Each step is a script in scripts/setup.d/, run in name order; any failure stops setup loudly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OCULAR_ROOT="$ROOT"
cd "$ROOT"
for step in "$ROOT"/scripts/setup.d/*.sh; do
  name="$(basename "$step" .sh)"
  echo "==> setup: ${name}"
  start=$(date +%s)
  if ! bash "$step"; then
    echo "!!! setup step '${name}' failed (see the messages above)" >&2
    exit 1
  fi
  echo "    ${name} done in $(( $(date +%s) - start )) s"
done
echo "==> setup complete: run 'build/ocular serve' or 'build/ocular analyze IMAGE'"
