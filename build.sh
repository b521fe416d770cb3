#!/usr/bin/env bash
# ./build.sh         restore, build (Release) and run the main job: engine train spirals-odenet (a neural ODE fitted to a
#                    spiral, plot in out/spirals-odenet.png), on cuda:0 when a CUDA device is present, else on the CPU
#                    (--device auto); extra arguments go to engine train (./build.sh run --epochs 20 --device cpu)
# ./build.sh test    build and run the test suite; ends with "N passed, N failed, N skipped". The CUDA tests run on
#                    the emulated device unless ENGINE_CUDA_EMULATOR is set (ENGINE_CUDA_EMULATOR=0: a real GPU).
# ./build.sh bench   run the CPU benchmarks (BenchmarkDotNet); extra arguments go to BenchmarkDotNet
# Every build first makes the emulated CUDA device (kernels/*.cu compiled with g++) when g++ and make are present.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null || { echo "build.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

emulator() {
  if command -v g++ >/dev/null && command -v make >/dev/null; then
    make -C kernels/emulator -s -j"$(nproc 2>/dev/null || echo 2)"
  else
    echo "build.sh: g++ or make is missing: the emulated CUDA device is not built and the CUDA tests will skip" >&2
  fi
}

build() {
  emulator
  dotnet build Engine.sln -c Release -nologo -v quiet "$@"
}

run_tests() {
  build
  local log status
  log=$(mktemp)
  export ENGINE_CUDA_EMULATOR="${ENGINE_CUDA_EMULATOR:-1}"
  set +e
  # Runs every test project of the solution; the closing "total/failed/succeeded/skipped" block sums them all.
  dotnet test --solution Engine.sln -c Release --no-build 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  local failed succeeded skipped
  failed=$(sed -n 's/^ *failed: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  succeeded=$(sed -n 's/^ *succeeded: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  skipped=$(sed -n 's/^ *skipped: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$succeeded" ]; then
    echo "build.sh: the test run printed no summary (exit code $status)" >&2
    exit $(( status == 0 ? 1 : status ))
  fi
  echo "${succeeded} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  exit "$status"
}

case "${1:-run}" in
  run)
    build
    device=(--device auto)
    for arg in "${@:2}"; do [[ $arg == --device* ]] && device=(); done
    dotnet src/Engine.Cli/bin/Release/net10.0/Engine.Cli.dll train spirals-odenet "${device[@]}" "${@:2}"
    ;;
  test)
    run_tests
    ;;
  bench)
    dotnet run --project bench/Engine.Bench -c Release -- "${@:2}"
    ;;
  *)
    echo "usage: ./build.sh [run|test|bench]" >&2
    exit 2
    ;;
esac
