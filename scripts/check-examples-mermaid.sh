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
# Names Mermaid's grammar would misread, as the chart writes them.
cat >"$out/hostile.toml" <<'TOML'
name = "a: b; c # d %% e"
release_day = "r: 1 # x"
[[schedules]]
name = "r: 1 # x"
time = "10:00:00"
zone = "Asia/Tokyo"
recurrence = { start = "2026-01-06", rule = { frequency = "weekly", by_day = ["TU"] } }
[milestones]
"r: 1 # x" = [
  { name = "title: freeze", offset = -1, unit = "days" },
  { name = "%%{init: {}}%%", offset = -2, unit = "days" },
]
[[steps]]
id = "a:b;c#d"
kind = "build"
[[steps]]
id = "say \"hi\"\nthere"
kind = "build"
estimate = "1m"
[[steps]]
id = "section two"
kind = "build"
estimate = "1m"
[[steps]]
id = "2026-01-01 is a date"
kind = "build"
estimate = "1m"
[[steps]]
id = "click x"
kind = "build"
estimate = "1m"
[[steps]]
id = "topAxis"
kind = "build"
estimate = "1m"
[[steps]]
id = "déploiement → 本番 🚀 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
kind = "build"
estimate = "1m"
TOML
"$release" calendar "$out/hostile.toml" --format mermaid --now 2026-01-01T00:00:00Z --count 2 \
  >"$out/calendar-hostile.mmd"

for file in examples/pipelines/*.toml examples/*/release.toml; do
  name=$(basename "$(dirname "$file")")-$(basename "$file" .toml)
  "$release" graph "$file" --format mermaid >"$out/graph-$name.mmd"
done

start=$(date +%s)
node scripts/check-mermaid.mjs "$out"/*.mmd
echo "checked $(ls "$out"/*.mmd | wc -l) Mermaid files in $(($(date +%s) - start))s"
