#!/usr/bin/env bash
# The Mermaid text the built CLI draws, checked by the real Mermaid parser
# (scripts/check-mermaid.mjs, mermaid and jsdom pinned in package.json):
# `release calendar FILE --format mermaid` of every example process with
# schedules, and `release graph --format mermaid` of the example pipelines.
# A step of .ci/test, after `cargo test` has built target/debug/release;
# runs alone as well (it builds the binary if it is missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

release="${CARGO_TARGET_DIR:-target}/debug/release"
if [ ! -x "$release" ]; then
  cargo build --quiet -p release-cli
fi

npm ci --no-audit --no-fund --loglevel=error >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for file in examples/*/release.toml; do
  grep -q '^\[\[schedules\]\]' "$file" || continue
  name=$(basename "$(dirname "$file")")
  "$release" calendar "$file" --format mermaid --now 2026-01-01T00:00:00Z --count 3 \
    >"$out/calendar-$name.mmd"
done
for file in examples/pipelines/*.toml examples/*/release.toml; do
  name=$(basename "$(dirname "$file")")-$(basename "$file" .toml)
  "$release" graph "$file" --format mermaid >"$out/graph-$name.mmd"
done

start=$(date +%s)
node scripts/check-mermaid.mjs "$out"/*.mmd
echo "checked $(ls "$out" | wc -l) Mermaid files in $(($(date +%s) - start))s"
