#!/usr/bin/env bash
# Compares the proxied hit of a commit (default: HEAD) with the working tree, in one process per load order:
#   bash tests/Cacheweave.Benchmarks/compare-builds.sh <commit> [rounds]
# The commit's benchmark project must have CachedCallBenchmarks with Setup/DistinctCalls (every commit since issue 3).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
commit="${1:-HEAD}"
rounds="${2:-41}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$commit" >/dev/null
dotnet build "$work/base/tests/Cacheweave.Benchmarks" -c Release -nologo -v quiet -o "$work/base-bin"
dotnet build tests/Cacheweave.Benchmarks -c Release -nologo -v quiet -o "$work/new-bin"
dotnet "$work/new-bin/Cacheweave.Benchmarks.dll" compare "$work/base-bin" "$work/new-bin" "$rounds"
