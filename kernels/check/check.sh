#!/usr/bin/env bash
# Parses every kernels/*.cu as CUDA device code with clang (no CUDA toolkit needed), so code that g++
# accepts for the emulator but NVRTC would reject fails in CI. Usage: kernels/check/check.sh [clang]
set -euo pipefail
cd "$(dirname "$0")/.."
clang=${1:-clang}
status=0
for file in *.cu emulator/selftest.cu; do
  if ! "$clang" -x cuda --cuda-device-only -nocudainc -nocudalib --cuda-gpu-arch=sm_70 -std=c++17 -fsyntax-only \
      -Werror -include check/prelude.cuh "$file"; then
    echo "kernels/check: $file does not parse as CUDA" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "kernels/check: $(ls *.cu emulator/selftest.cu | wc -l) kernel files parse as CUDA"
exit "$status"
