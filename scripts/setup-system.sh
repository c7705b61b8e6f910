#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (fresh machine / CI):
# chromium (end-to-end tests, driven by playwright-core; never a downloaded browser) and
# ffmpeg (decodes the fixture video), black (Python formatting, checked by npm run lint), Debian's python3 with numpy (the Python side reads the same
# hand-model asset) with PIL (training/handsynth renders with numpy + PIL), python3-torch (training/). Idempotent and quiet when everything is there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3 python3-numpy)
/usr/bin/python3 -c 'import PIL' >/dev/null 2>&1 || need+=(python3-pil)
# PyTorch (CPU) for the training side's tests (the encoder port's parity with TF.js)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
# black formats training/'s Python; `npm test` checks it (npm run lint)
command -v black >/dev/null 2>&1 || need+=(black)
for extra in "$@"; do need+=("$extra"); done
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup-system: installing ${need[*]} with apt-get"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
