#!/usr/bin/env bash
# Runs the benchmarks in Release and appends the results to benchmarks/RESULTS.md.
#   benchmarks/run.sh [--runs N]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=../scripts/prerequisites.sh
source scripts/prerequisites.sh
composerbot_require_dotnet
# fluidsynth (the command line) is the baseline the in-process renderer is compared with.
composerbot_install_packages "${COMPOSERBOT_RUNTIME_PACKAGES[@]}" "${COMPOSERBOT_TEST_PACKAGES[@]}" fluidsynth
dotnet run -c Release --project benchmarks/ComposerBot.Benchmarks -- "$@" --results benchmarks/RESULTS.md
