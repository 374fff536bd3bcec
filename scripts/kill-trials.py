#!/usr/bin/env python3
"""Random SIGKILL trials of `release run` and `--resume` (the reliability
findings' HIGH-5 harness), kept as a script, not a test: random timing on a
loaded machine makes flaky tests. The deterministic kill tests are in
crates/release-cli/tests/kill.rs and tests/run.rs.

Each trial writes a 6-step pipeline (2 steps at a time) whose steps append
"TASK start PID" and "TASK end PID" to a marker file around a short sleep,
then runs it, SIGKILLs `release` at a random moment in 80% of the rounds,
and resumes until the run succeeds. It counts:

- journaled_success_rerun: a `started` after the task's `succeeded` (must be 0)
- undecodable_lines: journal lines that are not JSON (must be 0)
- run_not_finished, unexpected_exit: rounds that ended otherwise (must be 0)
- overlapping_copies: a step's command started while an earlier copy of
  it was still running and that copy then finished (must be 0: on Linux
  the parent-death signal kills a step with its run, and everywhere a
  resume refuses to start a step whose previous process still runs)
- completed_twice: a step whose command completed more than once. Not a
  failure: a kill after the command ended but before its `succeeded`
  reached the journal runs it again on resume (at-least-once execution;
  the window is the time to record one event)
- refused_resumes: resumes that refused because a previous step process
  still ran (exit 1); the script then waits and resumes again

Usage, from the repository root (build first: `cargo build --release -p release-cli`):

    python3 scripts/kill-trials.py [TRIALS [SEED [BINARY]]]

    TRIALS  how many trials (default 20)
    SEED    the random seed (default 7)
    BINARY  the `release` binary (default target/release/release)

Scratch files go to scratch/kill/ (delete it afterwards). It prints one
dictionary of counts and exits 1 if a must-be-0 count is not 0.
"""
import collections
import json
import os
import random
import signal
import subprocess
import sys
import time

trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/release"
random.seed(seed)

STEP = (
    '[[steps]]\nid = "{id}"\nkind = "build"\nneeds = {needs}\n'
    'command = ["sh", "-c", "echo \\"$RELEASE_TASK start $$\\" >> \\"$M\\"; '
    'sleep 0.$(($$ % {s})); echo \\"$RELEASE_TASK end $$\\" >> \\"$M\\""]\n'
    'metadata = {{ env = {{ M = "{m}" }} }}\n'
)
SHAPE = [("a", "[]", 3), ("b", "[]", 4), ("c", '["a","b"]', 1),
         ("d", '["c"]', 5), ("e", '["c"]', 1), ("f", '["d","e"]', 1)]

st = collections.Counter()
for t in range(trials):
    d = f"scratch/kill/t{seed}_{t}"
    os.makedirs(d, exist_ok=True)
    m, j = os.path.abspath(f"{d}/marker"), f"{d}/j.jsonl"
    for path in (m, j):
        if os.path.exists(path):
            os.remove(path)
    toml = 'name = "killtest"\n' + "".join(
        STEP.format(id=i, needs=n, s=s, m=m) for i, n, s in SHAPE)
    with open(f"{d}/p.toml", "w") as f:
        f.write(toml)
    for rnd in range(60):
        args = [binary, "run", f"{d}/p.toml", "--journal", j, "--parallel", "2"]
        if rnd:
            args.append("--resume")
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if random.random() < 0.8:
            time.sleep(random.uniform(0, 0.8))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                st["kills"] += 1
        _, err = p.communicate()
        st["rounds"] += 1
        if p.returncode == 0:
            break
        if p.returncode == 1 and b"is still running" in err:
            st["refused_resumes"] += 1
            time.sleep(0.5)
            continue
        if p.returncode != -9:
            st["unexpected_exit"] += 1
            sys.stderr.write(err.decode(errors="replace"))
            break
    time.sleep(1.0)  # let any orphaned step process finish
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
        if e["event"] == "started" and e["task"] in done:
            st["journaled_success_rerun"] += 1
        if e["event"] == "succeeded":
            done.add(e["task"])
    if len(done) != len(SHAPE):
        st["run_not_finished"] += 1
    with open(m) as f:
        marks = [line.split() for line in f.read().split("\n") if line.strip()]
    ends = collections.Counter(task for task, what, _ in marks if what == "end")
    st["completed_twice"] += sum(n - 1 for n in ends.values())
    running = collections.defaultdict(set)  # task -> pids started, not ended
    overlapped = set()  # pids that were running when another copy started
    for task, what, pid in marks:
        if what == "start":
            overlapped |= running[task]
            running[task].add(pid)
        else:
            running[task].discard(pid)
            if pid in overlapped:
                st["overlapping_copies"] += 1
    st["trials"] += 1

print(dict(st))
bad = ["journaled_success_rerun", "undecodable_lines", "run_not_finished",
       "unexpected_exit", "overlapping_copies"]
sys.exit(1 if any(st[k] for k in bad) else 0)
