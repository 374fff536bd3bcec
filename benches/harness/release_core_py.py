"""release_core (the Python bindings, release build) for all three workloads.

Install a release build of the bindings into the harness venv, then run:

    WHEELS=$(mktemp -d)
    (cd <release-core checkout> && maturin build --release -m crates/release-py/Cargo.toml -o "$WHEELS")
    EXTRA_PIP="$(ls "$WHEELS"/release_core-*.whl)" ./run_peers.sh

If `import release_core` fails, every workload exits 3 ("not supported") and
the driver skips it. Each timed `task()` does what the peers do:

* W1: `release_core.sort_tags(tags, Scheme.semver())`: one call that parses
  every tag and returns the valid ones (the caller's own str objects) sorted.
  The scheme's optional `v` is exactly the harness rule "strip one leading
  `v`, then parse strictly" (`vv1.2.3` stays invalid), so the library does
  the strip itself instead of a Python loop. release-core orders
  pre-releases by its own documented rule (labels lowercased, `rc1` read as
  `rc.1`), which differs from strict SemVer 2.0.0 precedence on some tags;
  the order cross-check in report.py shows where.
* W2: per expansion, a `Schedule` (the RRULE with `UNTIL` = the local end in
  UTC, 10:00 America/New_York, `holidays=["us"]`,
  `policy="next_working_day"`) and `instants(start, end)`: aware UTC
  datetimes. The bindings take holiday sets by name only, so the (small)
  built-in rule set is instantiated per schedule; holiday dates are
  evaluated per year inside the expansion.
* W3: `Pipeline.from_edges(n, durations, edges)` on the harness's own
  Python lists (durations in whole seconds, `(u, v)` = v needs u): the
  index-based builder validates (references, cycles) and orders without a
  step dict or a text id per node, then `order()` (node indices) and
  `critical_path()`. Everything from the lists on is timed, as networkx's
  DiGraph build is. The string-id path (`Pipeline(steps)` from step dicts)
  is measured by the repository's `benches/python/compare_pipeline.py`.

This file is the checkout's copy (`benches/harness/release_core_py.py`):
the harness uses it instead of its own when RELEASE_CORE_DIR names the
checkout, so it follows the API; the JSON contract is the harness's.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
import harness  # noqa: E402

try:
    import release_core as rc
except ImportError:
    rc = None

IMPL = "python-release_core"


def w1_tags(ctx):
    if rc is None:
        return None
    tags = ctx.load_tags()
    scheme = rc.Scheme.semver()          # optional `v`: strip one, then strict SemVer

    def task():
        return rc.sort_tags(tags, scheme)

    def summarize(out):
        return {"valid": len(out), "max": harness.strip_v(out[-1]) if out else None, "semantics": "semver"}

    def dump(out, prefix):                # enables the cross-checks in report.py
        ts = rc.TagScheme("{version}", scheme)
        parsed = [ts.version_of(t) for t in tags]
        valid = [i for i, v in enumerate(parsed) if v is not None]
        # The library's order; Python's stable sort keeps ties in input order,
        # as sort_tags does. Checked against the timed output itself.
        order = sorted(valid, key=lambda i: parsed[i])
        assert [tags[i] for i in order] == out, "dump order differs from sort_tags"
        with open(prefix + ".valid", "w") as f:
            f.write("".join("0" if v is None else "1" for v in parsed) + "\n")
        with open(prefix + ".sorted", "w") as f:
            f.write("".join("%d\n" % i for i in order))

    return harness.Spec(task, summarize, n=len(tags), dump=dump,
                        unit="s per (parse all tags + sort valid)")


def w2_calendar(ctx):
    if rc is None:
        return None
    import datetime as dt
    import hashlib
    from zoneinfo import ZoneInfo

    spec = ctx.load_calendar()
    assert spec["holidays"] == "US" and spec["holiday_rule"] == "shift_next_business_day"
    tz = ZoneInfo(spec["tz"])
    utc = dt.timezone.utc
    start_local = dt.datetime.fromisoformat(spec["dtstart_local"])
    until_utc = dt.datetime.fromisoformat(spec["until_local"]).replace(tzinfo=tz).astimezone(utc)
    rule = "FREQ=%s;INTERVAL=%d;BYDAY=%s;UNTIL=%s" % (
        spec["freq"], spec["interval"], spec["byweekday"], until_utc.strftime("%Y%m%dT%H%M%SZ"))
    window_start = start_local.replace(tzinfo=tz).astimezone(utc)
    window_end = dt.datetime(2100, 1, 1, tzinfo=utc)   # the rule's UNTIL ends it
    start_date, start_time = start_local.date(), start_local.time()
    y0, y1 = spec["holiday_years"]

    def expand():                          # -> list of aware UTC datetimes
        s = rc.Schedule("release", rule, start=start_date, time=start_time, zone=spec["tz"],
                        holidays=["us"], policy="next_working_day")
        return s.instants(window_start, window_end)

    def iso(occs):
        return [o.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ") for o in occs]

    def summarize(occs):
        s = iso(occs)
        return {"occurrences": len(s), "first": s[0], "last": s[-1],
                "shifted": sum(1 for o in occs if o.astimezone(tz).weekday() != start_local.weekday()),
                "sha256": hashlib.sha256("".join(x + "\n" for x in s).encode()).hexdigest()[:16]}

    def dump(occs, prefix):
        with open(prefix + ".occurrences", "w") as f:
            f.write("".join(x + "\n" for x in iso(occs)))
        days = sorted({d for y in range(y0, y1 + 1) for d, _name, _obs in rc.builtin_holidays("us", y)})
        with open(prefix + ".holidays", "w") as f:
            f.write("".join("%s\n" % d for d in days if y0 <= d.year <= y1))

    return harness.Spec(expand, summarize, n=spec["reps"], inner_reps=spec["reps"], dump=dump,
                        unit="s per expansion (10y recurrence + holiday shift + UTC)")


def w3_graph(ctx):
    if rc is None:
        return None
    n, dur, edges = ctx.load_dag()

    def task():
        lap = harness.Lap()
        p = rc.Pipeline.from_edges(n, dur, edges)
        lap("build_pipeline")
        order = p.order()
        lap("toposort")
        length = int(p.critical_path().max.total_seconds())
        lap("longest_path")
        return (order, length), lap.phases

    def summarize(out):
        order, length = out
        pos = [0] * n
        for i, x in enumerate(order):
            pos[x] = i
        return {"critical_path": length, "nodes": n, "edges": len(edges),
                "topo_valid": len(order) == n and all(pos[u] < pos[v] for u, v in edges)}

    return harness.Spec(task, summarize, n=n, returns_phases=True,
                        unit="s per (build graph + toposort + critical path)")


if __name__ == "__main__":
    harness.main(impl=IMPL, workloads={"w1_tags": w1_tags, "w2_calendar": w2_calendar, "w3_graph": w3_graph},
                 lib="release_core " + (getattr(rc, "__version__", "?") if rc else "(not installed)"))
