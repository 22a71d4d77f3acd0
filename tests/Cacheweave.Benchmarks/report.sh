#!/usr/bin/env bash
# Regenerates docs/performance.md and its charts: the quick benchmarks, bytes per entry and the hit-ratio lab
# (about 10 minutes on 2 cores). Pass --reuse to rewrite the page from the last run's saved data.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/Cacheweave.Benchmarks -c Release -nologo -v quiet
dotnet run -c Release --no-build --project tests/Cacheweave.Benchmarks -- report "$@"
