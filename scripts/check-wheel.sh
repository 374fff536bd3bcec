#!/usr/bin/env bash
# The wheel as a user gets it: builds the release wheel (abi3) and the
# sdist with maturin, installs the wheel alone into a bare virtualenv in a
# temporary directory (no dev dependencies, no index), and runs the Python
# tours of the README and of the package's README from their text
# (scripts/readme_python.py), comparing the output they show.
#
# Needs maturin (./.venv, made by .ci/test) and python3. The release build
# goes to ./target like every other build (so a rerun is incremental);
# WHEEL_DIR=DIR reuses wheels built already (a perf step) instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
MATURIN=${MATURIN:-.venv/bin/maturin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dist=${WHEEL_DIR:-$tmp/dist}
if [ -z "${WHEEL_DIR:-}" ]; then
  VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" \
    "$MATURIN" build --quiet --release -m crates/release-py/Cargo.toml -o "$dist"
fi
"$MATURIN" sdist -m crates/release-py/Cargo.toml -o "$tmp/sdist" >/dev/null

wheel=$(ls "$dist"/release_core-*.whl)
case "$wheel" in
  *-abi3-*) ;;
  *) echo "check-wheel: $wheel is not an abi3 wheel" >&2; exit 1 ;;
esac

# The sdist and the wheel carry the READMEs and both licences.
sdist=$(ls "$tmp"/sdist/release_core-*.tar.gz)
tar -tzf "$sdist" > "$tmp/sdist.txt"
for f in README.md LICENSE-MIT LICENSE-APACHE pyproject.toml; do
  grep -q "^release_core-[^/]*/$f\$" "$tmp/sdist.txt" ||
    { echo "check-wheel: the sdist lacks $f" >&2; exit 1; }
done
"$PYTHON" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
text = zipfile.ZipFile(sys.argv[1]).read(meta).decode()
for want in ("License-Expression: MIT OR Apache-2.0", "Project-URL: Repository",
             "Description-Content-Type: text/markdown", "# release-core for Python"):
    assert want in text, f"the wheel's METADATA lacks {want!r}"
for licence in ("LICENSE-MIT", "LICENSE-APACHE"):
    assert any(n.endswith(licence) for n in names), f"the wheel lacks {licence}"
assert any(n.endswith("release_core/py.typed") for n in names), "the wheel lacks py.typed"
PY

"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --no-index --no-deps "$wheel"
# -I: the installed package, never a source tree on the path.
"$tmp/venv/bin/python" -I scripts/readme_python.py README.md 'Python: `import release_core`' >/dev/null
"$tmp/venv/bin/python" -I scripts/readme_python.py crates/release-py/README.md >/dev/null
echo "check-wheel: $(basename "$wheel") and $(basename "$sdist") ok"
