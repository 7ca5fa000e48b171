#!/usr/bin/env bash
# Resolves python/<name>.in into python/<name>.lock with every package's hashes, for the Python
# the tests run (see python/README.md). Run after changing a .in file; commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=$(mktemp -d)
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool"
PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_CONSTRAINT= "$tool/bin/pip" install --quiet "uv==0.13.9"
for input in python/*.in; do
  "$tool/bin/uv" pip compile --quiet --no-config --generate-hashes --python-version 3.11 \
    --python-platform x86_64-manylinux_2_28 --custom-compile-command "npm run lock-python" \
    "$input" -o "${input%.in}.lock"
done
