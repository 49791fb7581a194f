#!/usr/bin/env bash
# The soak (see ../shared/design/BENCHMARKS.md, "Soak"): 30 minutes of constant load through a data plane (50 % of
# the maximum measured first by a short closed-loop run, or --rate) while
#   - the config is pushed every 10 s (a backend's weight, a real REST write; the data plane must show it applied),
#   - one of three backend processes is killed (SIGKILL) every 60 s and started again 10 s later,
#   - the control plane the data plane is connected to is restarted every 5 minutes (two control planes on one
#     embedded PostgreSQL: the data plane moves to the other one and keeps serving).
# It reports failed requests (goal 0) and the data plane's RSS, heap after a forced GC, threads and open files at the
# start (after a 5-minute warm-up) and the end, with their slope; thresholds: RSS and heap growth < 10 %, threads
# and open files equal ± 2. Not a test of its own: it runs the CI test infra/e2e SoakEndToEndTest (3 minutes) with the
# 30-minute schedule, so the two cannot drift. Writes the Markdown table to infra/bench/results/soak-<date>.md.
#
#   infra/bench/soak.sh [--minutes N] [--rate REQ_PER_S]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
minutes=30 rate=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cd "$root"
for jar in control-plane/target/quarkus-app/quarkus-run.jar data-plane/target/ballast-data-plane.jar; do
  [[ -f "$jar" ]] || mvn -B -q -DskipTests package
done
duration=$((minutes * 60))
# The long schedule; a run shorter than 10 minutes scales the warm-up and the restarts down so both still happen.
warmup=300 restart=300
if ((duration < 600)); then warmup=$((duration / 6)) restart=$((duration * 2 / 5)); fi
report=infra/e2e/target/soak-report.md
rm -f "$report"
log=/tmp/ballast-soak-$$.log
set +e
mvn -B -q -pl shared-model,infra/e2e test -Dtest=SoakEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false -Da11y.install.skip=true \
  -Dballast.soak.duration="$duration" -Dballast.soak.warmUp="$warmup" -Dballast.soak.restartEvery="$restart" \
  -Dballast.soak.sampleEvery=30 -Dballast.soak.rate="$rate" > "$log" 2>&1
status=$?
set -e
[[ -f "$report" ]] || { echo "soak.sh: no report; see $log" >&2; exit 1; }
out="infra/bench/results/soak-$(date -u +%Y%m%d-%H%M).md"
{
  cat "$report"
  echo
  [[ $status -eq 0 ]] && echo "Every check passed." || echo "Some check failed (exit $status): see $log."
} | tee "$out"
echo "written to $out"
exit $status
