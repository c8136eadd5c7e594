#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test project, and ends with "N passed, N failed".
#   ./test.sh                 all tests
#   ./test.sh --filter EXPR   only tests matching a dotnet test filter, e.g. --filter "Category!=Slow"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
# shellcheck source=scripts/prerequisites.sh
source scripts/prerequisites.sh
composerbot_require_dotnet
composerbot_install_packages "${COMPOSERBOT_RUNTIME_PACKAGES[@]}" "${COMPOSERBOT_TEST_PACKAGES[@]}"

filter=()
if [ "${1:-}" = "--filter" ] && [ -n "${2:-}" ]; then filter=(--filter "$2"); fi

results="$root/.build/test-results"
rm -rf "$results"
mkdir -p "$results"
echo "Building ..."
dotnet build ComposerBot.sln -c Release --nologo -v quiet -clp:ErrorsOnly

status=0
broken=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "Testing $name ..."
  dotnet test "$project" -c Release --no-build --nologo "${filter[@]}" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1
  if [ ! -f "$results/$name.trx" ]; then
    echo "test.sh: $name reported no results (its test host failed); counted as one failure" >&2
    broken=$((broken + 1))
  fi
done

# Sum the counters of every result file (a skipped test is one of the total that was not executed).
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]);
        if (kv[1] == "passed") p += kv[2]; if (kv[1] == "failed") f += kv[2];
        if (kv[1] == "total") t += kv[2]; if (kv[1] == "executed") e += kv[2]; } }
    END { printf "%d %d %d\n", p, f, t - e }')
failed=$((failed + broken))
if [ "$passed" -eq 0 ]; then status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
