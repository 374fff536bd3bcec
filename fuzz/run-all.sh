#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each and prints, per target, the runs,
# crashes and timeouts. Exits non-zero when any target crashed, timed out
# (a unit slower than 10 s counts as a failure) or could not run.
#
#   fuzz/run-all.sh 300            # five minutes per target
#   fuzz/run-all.sh 20 parse_tag   # only the named targets
#
# With cargo-fuzz installed (`cargo install cargo-fuzz`) it uses
# `cargo +nightly fuzz run`. Without it, it builds the targets itself the way
# cargo-fuzz does (sanitizer coverage, AddressSanitizer, `--cfg fuzzing`) on
# the stable toolchain with RUSTC_BOOTSTRAP=1, which unlocks the `-Z` flags.
# Either way the build has debug assertions and overflow checks on, so an
# arithmetic overflow is a crash, as in a debug build.
#
# Each target runs in libFuzzer's fork mode, which goes on after a crash or a
# timeout and counts them; inputs that fail are written to
# fuzz/artifacts/TARGET/, the corpus grows in fuzz/corpus/TARGET/ (both
# ignored by git). Reproduce one with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-...
# or, without cargo-fuzz, by running the built binary on the file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run-all.sh SECONDS [TARGET...]" >&2
  exit 2
fi
seconds=$1
shift
if [ $# -gt 0 ]; then
  targets=("$@")
else
  # Every [[bin]] of fuzz/Cargo.toml, in order.
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^release-core-fuzz$')
fi

triple=$(rustc -vV | sed -n 's/^host: //p')
libfuzzer_args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
binary() { echo "$CARGO_TARGET_DIR/$triple/release/$1"; }
if cargo +nightly fuzz --version >/dev/null 2>&1; then
  mode="cargo +nightly fuzz (debug assertions on)"
  build() { (cd .. && cargo +nightly fuzz build --debug-assertions); }
else
  mode="stable with RUSTC_BOOTSTRAP=1 (cargo-fuzz not installed)"
  build() {
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cpasses=sancov-module \
      -Cllvm-args=-sanitizer-coverage-level=4 \
      -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
      -Cllvm-args=-sanitizer-coverage-pc-table \
      -Cllvm-args=-sanitizer-coverage-trace-compares \
      --cfg fuzzing -Zsanitizer=address -Cforce-frame-pointers \
      -Cdebug-assertions -Coverflow-checks" \
      cargo build --release --target "$triple" --bins
  }
fi

echo "fuzz/run-all.sh: ${#targets[@]} targets, ${seconds} s each, ${mode}"
build >&2

declare -A runs crashes timeouts status
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log="artifacts/$t/last-run.log"
  echo "--- $t" >&2
  set +e
  "$(binary "$t")" "${libfuzzer_args[@]}" -artifact_prefix="artifacts/$t/" "corpus/$t" >"$log" 2>&1
  code=$?
  set -e
  # Fork mode reports `#RUNS: cov: ... oom/timeout/crash: O/T/C time: ...`.
  last=$(grep -E '^#[0-9]+: .*oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -n 1 || true)
  if [ -z "$last" ]; then
    runs[$t]="?" crashes[$t]="?" timeouts[$t]="?" status[$t]="did not run (exit $code, see fuzz/$log)"
    failed=1
    continue
  fi
  runs[$t]=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  counts=$(sed -E 's#.*oom/timeout/crash: ([0-9]+)/([0-9]+)/([0-9]+).*#\1 \2 \3#' <<<"$last")
  read -r ooms t_outs crash <<<"$counts"
  crashes[$t]=$((crash + ooms))
  timeouts[$t]=$t_outs
  if [ "${crashes[$t]}" -gt 0 ] || [ "$t_outs" -gt 0 ]; then
    status[$t]="FAILED (inputs in fuzz/artifacts/$t/)"
    failed=1
  else
    status[$t]="ok"
  fi
done

# (An input over the 2 GB memory limit counts as a crash.)
printf '\n%-20s %12s %8s %9s  %s\n' target runs crashes timeouts status
for t in "${targets[@]}"; do
  printf '%-20s %12s %8s %9s  %s\n' "$t" "${runs[$t]}" "${crashes[$t]}" "${timeouts[$t]}" "${status[$t]}"
done
exit "$failed"
