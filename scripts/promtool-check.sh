#!/usr/bin/env bash
# Generates every environment's Prometheus rules, promtool unit tests and dashboard
# queries (.ci/promtool/generate.ts), then runs `promtool check rules` and
# `promtool test rules` on them. promtool comes from Debian's `prometheus` package.
# Without promtool the check is skipped locally and fails in CI (CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "promtool-check: promtool is not on PATH; install Debian's 'prometheus' package" >&2
    exit 1
  fi
  echo "promtool-check: SKIPPED, promtool is not on PATH (install Debian's 'prometheus' package)" >&2
  exit 0
fi

# promtool's unit tests spend about a fifth of their CPU in Go's collector at the default GOGC=100.
export GOGC="${GOGC:-400}"

out=.build/promtool
rm -rf "$out"
mkdir -p "$out"
node_modules/.bin/esbuild .ci/promtool/generate.ts --bundle --platform=node --format=cjs --target=node20 \
  --packages=external --log-level=warning --outfile="$out/generate.js"
node "$out/generate.js" "$out"

# Lint findings (duplicate rules) are fatal too.
promtool check rules --lint-fatal "$out"/*.rules.json
# Unit tests: one file per environment and alert group (each loads only the groups it reads), in parallel.
printf '%s\0' "$out"/*.test.json | xargs -0 -n 1 -P "$(nproc 2>/dev/null || echo 2)" promtool test rules
echo "promtool-check: OK"
