#!/usr/bin/env python3
"""SIGKILL trials for `release run --journal`: a documented harness, not a test.

Random kills on a loaded machine make flaky tests, so this stays a script
to run by hand (the deterministic tests are in crates/release-cli/tests/
journal.rs). Each trial builds a 6-step process (2 run in parallel), runs
`release run --journal J --parallel 2`, SIGKILLs it at a random time in 80%
of the rounds, then `--resume`s until the run succeeds, and checks:

- journaled_success_rerun: a step started again after its `succeeded`
  (must be 0: a journaled success never re-runs);
- undecodable_lines: journal lines that are not JSON (must be 0);
- run_not_finished / unexpected_exit: trials that did not end in success;
- extra_step_completions: steps whose command completed more than once
  (orphaned children of a killed run; see the shell executor's process
  groups);
- verify_broken: journals whose hash chain `release verify` rejects.

Usage, from the repository root after `cargo build --release -p release-cli`:

    python3 scripts/kill-trials.py TRIALS SEED [RELEASE_BINARY]

e.g. `python3 scripts/kill-trials.py 150 7`. Scratch files go to
scratch/kill/ (delete it after). Prints a dict of counters.
"""

import collections
import json
import os
import random
import signal
import subprocess
import sys
import time

STEP = (
    '[[steps]]\nid = "{id}"\nkind = "build"\nneeds = {needs}\n'
    'command = ["sh", "-c", "echo \\"$RELEASE_TASK start $$\\" >> \\"$M\\"; '
    'sleep 0.$(($$ % {s})); echo \\"$RELEASE_TASK end $$\\" >> \\"$M\\""]\n'
    'metadata = {{ env = {{ M = "{m}" }} }}\n'
)
SHAPE = [
    ("a", "[]", 3),
    ("b", "[]", 4),
    ("c", '["a","b"]', 1),
    ("d", '["c"]', 5),
    ("e", '["c"]', 1),
    ("f", '["d","e"]', 1),
]


def main() -> None:
    trials, seed = int(sys.argv[1]), int(sys.argv[2])
    binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/release"
    random.seed(seed)
    st: collections.Counter = collections.Counter()
    for t in range(trials):
        d = f"scratch/kill/t{seed}_{t}"
        os.makedirs(d, exist_ok=True)
        m, j = os.path.abspath(f"{d}/marker"), f"{d}/j.jsonl"
        toml = 'name = "killtest"\n' + "".join(
            STEP.format(id=i, needs=n, s=s, m=m) for i, n, s in SHAPE
        )
        with open(f"{d}/p.toml", "w") as f:
            f.write(toml)
        for rnd in range(30):
            args = [binary, "run", f"{d}/p.toml", "--journal", j, "--parallel", "2"]
            if rnd:
                args.append("--resume")
            p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if random.random() < 0.8:
                time.sleep(random.uniform(0, 0.8))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    st["kills"] += 1
            p.communicate()
            st["rounds"] += 1
            if p.returncode == 0:
                break
            if p.returncode != -9:
                st["unexpected_exit"] += 1
                break
        time.sleep(1.0)  # let orphaned step processes finish
        done = set()
        with open(j, "rb") as f:
            lines = f.read().split(b"\n")
        for line in lines:
            if not line.strip():
                continue
            try:
                e = json.loads(line)
            except ValueError:
                st["undecodable_lines"] += 1
                continue
            if "journal" in e:  # the format-2 header
                continue
            if e["event"] == "started" and e["task"] in done:
                st["journaled_success_rerun"] += 1
            if e["event"] == "succeeded":
                done.add(e["task"])
        if len(done) != len(SHAPE):
            st["run_not_finished"] += 1
        if subprocess.run([binary, "verify", j], capture_output=True).returncode != 0:
            st["verify_broken"] += 1
        with open(m) as f:
            ends = collections.Counter(l.split()[0] for l in f.read().split("\n") if " end " in l)
        st["extra_step_completions"] += sum(n - 1 for n in ends.values())
        st["trials"] += 1
    print(dict(st))


if __name__ == "__main__":
    main()
