"""Every Python comparison in one run: tags (the shared harness's corpus,
then the generated mix), the 10-year calendar, and the 100,000-step
pipeline (from JSON and from integer edges), each against its peers side
by side in one process, as the scripts it runs say.

Set up as each script says (a release build of the bindings)::

    pip install -r crates/release-py/requirements-dev.txt \\
                -r crates/release-py/requirements-bench.txt
    maturin develop --release -m crates/release-py/Cargo.toml
    python benches/python/compare_all.py [--quick]

``--quick`` takes fewer runs per contender (a smoke run, not figures to
quote).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compare_calendar  # noqa: E402
import compare_pipeline  # noqa: E402
import compare_tags  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one or two runs per contender")
    args = parser.parse_args()
    harness_tags = str(HERE.parent / "data" / "harness_tags.txt")
    runs = [
        ("tags, the harness corpus", compare_tags.main, ["--file", harness_tags] + (["--repeat", "2", "--peer-repeat", "1"] if args.quick else [])),
        ("tags, the generated mix", compare_tags.main, ["--repeat", "2", "--peer-repeat", "1"] if args.quick else []),
        ("calendar", compare_calendar.main, ["--repeat", "2"] if args.quick else []),
        ("pipeline", compare_pipeline.main, ["--repeat", "1"] if args.quick else []),
    ]
    for title, run, argv in runs:
        print(f"== {title}", flush=True)
        sys.argv = [title, *argv]
        run()
        print(flush=True)


if __name__ == "__main__":
    main()
