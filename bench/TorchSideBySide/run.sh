#!/usr/bin/env bash
# Builds TorchSideBySide (outside the project's build: it needs TorchSharp-cpu) and runs it with 1 and then 2 threads.
#   bench/TorchSideBySide/run.sh [rounds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${XDG_CACHE_HOME:-$HOME/.cache}/engine-torch-side-by-side"
dotnet build "$here/TorchSideBySide.csproj" -c Release -nologo -v quiet -p:UseArtifactsOutput=true "-p:ArtifactsPath=$out" >&2
for threads in 1 2; do
  DOTNET_PROCESSOR_COUNT=$threads "$out/bin/TorchSideBySide/release_linux-x64/TorchSideBySide" "${1:-15}"
done
