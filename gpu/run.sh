#!/usr/bin/env bash
# One command for the GPU machine (see README.md, "CUDA on a GPU machine").
#
#   gpu/run.sh bundle   here: publish the tests and the GPU benchmark framework-dependent, with a copy of the
#                       .NET runtime, into .gpu-bundle/ (ignored by git, under 64 MiB with the working tree)
#   gpu/run.sh run      there: unpack the runtime, find the CUDA libraries (cuDNN 9 included), run every CUDA test
#                       (trait Category=Gpu) on the real device, the convolution tests again on the own kernels
#                       (ENGINE_CUDNN=0), then the GPU benchmarks (the convolutions on both paths) and the same
#                       workloads in PyTorch; logs, CSVs and tables go to $OUT
#
# From a session with the device tool: run(command="gpu/run.sh run", carry=[".gpu-bundle"]).
set -uo pipefail
cd "$(dirname "$0")/.."
bundle=.gpu-bundle

bundle() {
  set -e
  rm -rf "$bundle" && mkdir -p "$bundle"
  make -C kernels/emulator -s -j"$(nproc)"
  local publish=(-c Release --no-self-contained -nologo -v quiet)
  dotnet publish tests/Engine.Tests/Engine.Tests.csproj "${publish[@]}" -o "$bundle/tests"
  # Both test programs share one folder: their dependencies are the same files.
  dotnet publish tests/Engine.Ode.Tests/Engine.Ode.Tests.csproj "${publish[@]}" -o "$bundle/tests"
  dotnet publish bench/Engine.GpuBench/Engine.GpuBench.csproj "${publish[@]}" -o "$bundle/gpubench"
  local root runtime
  root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  runtime=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ { v = $2 } END { print v }')
  tar -cJf "$bundle/runtime.tar.xz" -C "$root" dotnet host/fxr "shared/Microsoft.NETCore.App/$runtime"
  local bytes tree
  bytes=$(du -sb "$bundle" | cut -f1)
  tree=$(git ls-files -co --exclude-standard -z | du -cb --files0-from=- | tail -1 | cut -f1)
  echo "gpu/run.sh: $bundle is $((bytes >> 20)) MiB, the working tree $((tree >> 20)) MiB (the limit is 64 MiB together)"
  [ $((bytes + tree)) -lt $((64 << 20)) ] || { echo "gpu/run.sh: too large to travel" >&2; exit 1; }
}

run() {
  local out=${OUT:-$PWD/out}
  mkdir -p "$out"
  [ -f "$bundle/runtime.tar.xz" ] || { echo "gpu/run.sh: no $bundle; run 'gpu/run.sh bundle' first and carry $bundle" >&2; exit 1; }
  export DOTNET_ROOT=/tmp/engine-dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  mkdir -p "$DOTNET_ROOT" && tar -xJf "$bundle/runtime.tar.xz" -C "$DOTNET_ROOT"
  local folders
  folders=$(find / \( -name 'libnvrtc.so.1*' -o -name 'libcublas.so.1*' -o -name 'libcuda.so.1' -o -name 'libcudnn.so.9*' \) -not -path '/proc/*' 2>/dev/null \
    | xargs -r -n1 dirname | sort -u | paste -sd:)
  export ENGINE_CUDA_LIBRARY_PATH="$folders" LD_LIBRARY_PATH="$folders${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export ENGINE_CUDA_EMULATOR=0 ENGINE_KERNEL_CACHE=/tmp/engine-kernels
  { date -u; nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv; \
    echo "CUDA libraries: $folders"; } > "$out/device.txt" 2>&1
  cat "$out/device.txt"

  "$DOTNET_ROOT/dotnet" "$bundle/tests/Engine.Tests.dll" -trait "Category=Gpu" 2>&1 | tee "$out/tests.log"
  local tests=${PIPESTATUS[0]}
  "$DOTNET_ROOT/dotnet" "$bundle/tests/Engine.Ode.Tests.dll" -trait "Category=Gpu" 2>&1 | tee -a "$out/tests.log"
  tests=$((tests + ${PIPESTATUS[0]}))
  # The convolutions once more on the project's own kernels, which run wherever cuDNN does not.
  local conv_classes=()
  for class in ConvolutionConformanceTests LayerConformanceTests ResNetStepConformanceTests CudnnTests; do
    conv_classes+=(-class "Engine.Tests.Cuda.$class")
  done
  ENGINE_CUDNN=0 "$DOTNET_ROOT/dotnet" "$bundle/tests/Engine.Tests.dll" "${conv_classes[@]}" 2>&1 | tee "$out/tests-own-kernels.log"
  tests=$((tests + ${PIPESTATUS[0]}))
  "$DOTNET_ROOT/dotnet" "$bundle/gpubench/Engine.GpuBench.dll" --csv "$out/engine.csv" 2>&1 | tee "$out/engine-bench.log"
  local bench=${PIPESTATUS[0]}
  ENGINE_CUDNN=0 "$DOTNET_ROOT/dotnet" "$bundle/gpubench/Engine.GpuBench.dll" --only conv,basicblock --csv "$out/engine-own-kernels.csv" 2>&1 \
    | tee "$out/engine-bench-own-kernels.log"
  bench=$((bench + ${PIPESTATUS[0]}))
  PYTHONUNBUFFERED=1 python3 bench/gpu/torch_bench.py --csv "$out/torch.csv" 2>&1 | tee "$out/torch-bench.log"
  python3 bench/gpu/compare.py "$out/engine.csv" "$out/torch.csv" > "$out/gpu-bench.md" 2>&1
  { echo; echo "Convolutions on the own kernels (ENGINE_CUDNN=0):"; echo;
    python3 bench/gpu/compare.py "$out/engine-own-kernels.csv" "$out/torch.csv"; } >> "$out/gpu-bench.md" 2>&1
  echo
  grep -E "Total:" "$out/tests.log" "$out/tests-own-kernels.log"
  grep -h "^convolutions:" "$out/engine-bench.log" "$out/engine-bench-own-kernels.log"
  cat "$out/gpu-bench.md"
  [ "$tests" -eq 0 ] && [ "$bench" -eq 0 ]
}

case "${1:-}" in
  bundle) bundle ;;
  run) run ;;
  *) echo "usage: gpu/run.sh bundle|run" >&2; exit 2 ;;
esac
