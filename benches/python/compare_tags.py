"""Sort 100,000 mixed tags and find the latest: release_core against peers.

The corpus is the one of the Rust benchmarks (``benches/lib.rs``,
``mixed_tags``): the same SplitMix64 generator, seed and draws, so the
figures of both sides describe the same work. Each contender parses every
tag it can, skips the rest, sorts ascending and takes the latest:

- ``release_core``: ``sort_tags`` and ``latest_tag`` (two full passes, each
  parsing every tag in Rust); and ``sort_tags`` alone, taking the last
  element as the latest (one pass, as the peers parse only once).
- ``packaging``: ``packaging.version.Version`` (InvalidVersion skipped),
  ``sorted``, ``max``.
- ``semver``: ``semver.Version.parse`` on the tag without a leading ``v``
  (ValueError skipped), ``sorted``, ``max``.

Each is timed with ``time.perf_counter``, best of ``--repeat`` runs, all in
one process. The script installs nothing; set up with::

    pip install -r crates/release-py/requirements-dev.txt \
                -r crates/release-py/requirements-bench.txt
    maturin develop --release -m crates/release-py/Cargo.toml
    python benches/python/compare_tags.py
"""

from __future__ import annotations

import argparse
import platform
import time
from typing import Callable, List, Optional, Sequence

import packaging.version
import semver

import release_core

MASK = (1 << 64) - 1


class SplitMix64:
    """The generator of ``benches/lib.rs``."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        return self.next() % n


JUNK = ["latest", "nightly-2023", "release-foo", "stable", "deploy/prod", "v", "1.2", "2.x"]
LABELS = ["rc", "beta", "alpha"]


def mixed_tags(n: int = 100_000) -> List[str]:
    """~40% bare SemVer, 20% ``v``-prefixed, 15% pre-releases, 15% CalVer, 10% junk."""
    rng = SplitMix64(0x5EED1E55C0DE2026)
    tags = []
    for _ in range(n):
        major, minor, patch = rng.below(20), rng.below(30), rng.below(40)
        bucket = rng.below(100)
        if bucket < 40:
            tags.append(f"{major}.{minor}.{patch}")
        elif bucket < 60:
            tags.append(f"v{major}.{minor}.{patch}")
        elif bucket < 68:
            label = LABELS[rng.below(3)]
            tags.append(f"{major}.{minor}.{patch}-{label}.{rng.below(12)}")
        elif bucket < 75:
            tags.append(f"v{major}.{minor}.{patch}-rc{1 + rng.below(12)}")
        elif bucket < 90:
            tags.append(f"{2015 + rng.below(12)}.{1 + rng.below(12):02}.{1 + rng.below(9)}")
        else:
            tags.append(JUNK[rng.below(len(JUNK))])
    return tags


def ours(tags: Sequence[str]) -> tuple[int, Optional[str]]:
    ordered = release_core.sort_tags(tags)
    latest = release_core.latest_tag(tags)
    return len(ordered), latest


def ours_sort_only(tags: Sequence[str]) -> tuple[int, Optional[str]]:
    ordered = release_core.sort_tags(tags)
    return len(ordered), ordered[-1] if ordered else None


def with_packaging(tags: Sequence[str]) -> tuple[int, Optional[str]]:
    Version = packaging.version.Version
    InvalidVersion = packaging.version.InvalidVersion
    parsed = []
    for tag in tags:
        try:
            parsed.append(Version(tag))
        except InvalidVersion:
            pass
    ordered = sorted(parsed)
    latest = max(parsed) if parsed else None
    return len(ordered), None if latest is None else str(latest)


def with_semver(tags: Sequence[str]) -> tuple[int, Optional[str]]:
    parse = semver.Version.parse
    parsed = []
    for tag in tags:
        try:
            parsed.append(parse(tag[1:] if tag.startswith("v") else tag))
        except ValueError:
            pass
    ordered = sorted(parsed)
    latest = max(parsed) if parsed else None
    return len(ordered), None if latest is None else str(latest)


def best_of(fn: Callable[[Sequence[str]], object], tags: Sequence[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(tags)
        best = min(best, time.perf_counter() - start)
    return best


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="number of tags")
    parser.add_argument(
        "--file",
        help="read the tags from FILE, one per line, as they are (benches/data/harness_tags.txt: "
        "the shared harness's corpus with its oversized and odd tags) instead of generating -n",
    )
    parser.add_argument("--repeat", type=int, default=7, help="runs per contender (best taken)")
    parser.add_argument(
        "--peer-repeat", type=int, default=3, help="runs per pure-Python peer (best taken)"
    )
    args = parser.parse_args()

    if args.file:
        with open(args.file, encoding="utf-8") as f:
            tags = f.read().split("\n")
        if tags and tags[-1] == "":
            tags.pop()  # the file's final newline, not an empty tag
        args.n = len(tags)
    else:
        tags = mixed_tags(args.n)
    contenders: dict[str, tuple[str, Callable[[Sequence[str]], tuple[int, Optional[str]]], int]] = {
        "ours": ("release_core sort_tags+latest_tag", ours, args.repeat),
        "ours_sort": ("release_core sort_tags, [-1]", ours_sort_only, args.repeat),
        "packaging": ("packaging.version parse+sort+max", with_packaging, args.peer_repeat),
        "semver": ("semver.Version parse+sort+max", with_semver, args.peer_repeat),
    }
    results = {name: fn(tags) for name, (_, fn, _) in contenders.items()}
    timings = {name: best_of(fn, tags, repeat) for name, (_, fn, repeat) in contenders.items()}

    print(
        f"{args.n:,} tags; python {platform.python_version()}; release_core {release_core.__version__}; "
        f"packaging {packaging.__version__}; semver {semver.__version__}"
    )
    print(f"cpu: {cpu_model()}; best of {args.repeat} (release_core) / {args.peer_repeat} (peers)")
    print()
    print(f"{'contender':<34} {'accepted':>9} {'latest':>12} {'best ms':>10} {'/ours':>8} {'/ours sort':>11}")
    for name, (label, _, _) in contenders.items():
        accepted, latest = results[name]
        t = timings[name]
        print(
            f"{label:<34} {accepted:>9,} {latest or '-':>12} {t * 1e3:>10.2f} "
            f"{t / timings['ours']:>7.1f}x {t / timings['ours_sort']:>10.1f}x"
        )


if __name__ == "__main__":
    main()
