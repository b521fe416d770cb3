# .\build.ps1         restore, build (Release) and run the main job (engine train spirals-odenet, as ./build.sh)
# .\build.ps1 test    build and run the test suite; ends with "N passed, N failed, N skipped"
# .\build.ps1 bench   run the CPU benchmarks (BenchmarkDotNet)
# The emulated CUDA device (kernels/*.cu compiled with g++) is built where g++ and make exist (Linux, x86-64); the CUDA
# tests then run on it, as in ./build.sh. Elsewhere they skip, unless ENGINE_CUDA_EMULATOR=0 and a GPU is present.
param([string]$Command = "run", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"; $env:DOTNET_NOLOGO = "1"

function Invoke-Build {
  if ((Get-Command g++ -ErrorAction SilentlyContinue) -and (Get-Command make -ErrorAction SilentlyContinue) -and -not $IsWindows) {
    make -C kernels/emulator -s -j2; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  }
  dotnet build Engine.sln -c Release -nologo -v quiet; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Command) {
  "run" {
    Invoke-Build
    $device = if (@($Rest) -match '^--device') { @() } else { @('--device', 'auto') }
    dotnet src/Engine.Cli/bin/Release/net10.0/Engine.Cli.dll train spirals-odenet @device @Rest
    exit $LASTEXITCODE
  }
  "test" {
    Invoke-Build
    if (-not $env:ENGINE_CUDA_EMULATOR -and (Test-Path artifacts/emulator/libengine_cuda_emulator.so)) { $env:ENGINE_CUDA_EMULATOR = "1" }
    $log = dotnet test --solution Engine.sln -c Release --no-build 2>&1 | Tee-Object -Variable lines
    $status = $LASTEXITCODE
    $text = $lines -join "`n"
    $pick = { param($name) if ($text -match "(?m)^\s*${name}:\s*(\d+)") { $Matches[1] } else { "0" } }
    if ($text -notmatch "(?m)^\s*succeeded:") { Write-Error "build.ps1: the test run printed no summary"; exit 1 }
    Write-Output ("{0} passed, {1} failed, {2} skipped" -f (& $pick "succeeded"), (& $pick "failed"), (& $pick "skipped"))
    exit $status
  }
  "bench" {
    dotnet run --project bench/Engine.Bench -c Release -- @Rest
    exit $LASTEXITCODE
  }
  default { Write-Error "usage: .\build.ps1 [run|test|bench]"; exit 2 }
}
