#!/usr/bin/env bash
# Installs the JavaScript peers of the benchmark (@tensorflow/tfjs, brain.js) into
# bench/peers/node_modules, apart from gradgrid's own dependencies. The NumPy peer needs only
# python3 with numpy on the PATH.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
