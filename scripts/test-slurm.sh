#!/usr/bin/env bash
# Integration test of `unlearn sweep` against a real Slurm (make test-slurm; .ci/run runs it after make test).
#
# Starts a private single-node Slurm as root: munged, slurmctld and slurmd with a slurm.conf, a munge key,
# state and spool folders all in a temporary folder, on free ports (proctrack/linuxproc, task/none, no
# accounting), installing Debian's slurm-wlm and munge with apt-get when missing. Then:
#   1. a 4-task sweep: the merged runs.csv equals an unsharded local run of the same grid (timings excluded);
#   2. a sweep (in a folder whose name has spaces) with one array task cancelled mid-run (scancel): the merge
#      job does not run; submitting the same command again resumes (points finished before the cancellation
#      are kept, not rerun) and the merged runs.csv again equals the local run, nothing lost or duplicated.
# Every daemon it started is stopped by PID on exit, whatever happens. Without root or apt-get (and no Slurm
# installed) it says SKIPPED and exits 0; REQUIRE_SLURM=1 turns a skip into a failure.
# UNLEARN=/path/to/unlearn uses that binary instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
start=$SECONDS
say() { printf '[test-slurm %3ds] %s\n' $((SECONDS - start)) "$*"; }
skip() {
  echo "test-slurm: SKIPPED: $*"
  if [ "${REQUIRE_SLURM:-0}" = 1 ]; then echo "test-slurm: REQUIRE_SLURM=1: failing instead" >&2; exit 1; fi
  exit 0
}
fail() { echo "test-slurm: FAILED: $*" >&2; exit 1; }

# --- Slurm and munge ---------------------------------------------------------------------------------------
[ "$(uname)" = Linux ] || skip "a private Slurm needs Linux"
[ "$(id -u)" = 0 ] || skip "not root: slurmd and munged of a private test cluster must run as root (run: sudo make test-slurm)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || skip "Slurm is not installed and there is no apt-get to install slurm-wlm"
  say "installing slurm-wlm and munge (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || skip "apt-get update failed (no network?)"
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null || skip "apt-get install slurm-wlm munge failed"
fi
for tool in slurmctld slurmd sbatch squeue scancel scontrol sinfo munged; do
  command -v $tool >/dev/null || fail "$tool is missing after installing slurm-wlm and munge"
done

# --- the unlearn binary --------------------------------------------------------------------------------------
if [ -n "${UNLEARN:-}" ]; then
  bin=$UNLEARN
else
  say "building the release unlearn (swift build -c release --product unlearn)…"
  scripts/ensure-deps.sh
  swift build -c release --product unlearn >/dev/null
  bin=$(swift build -c release --product unlearn --show-bin-path)/unlearn
fi
[ -x "$bin" ] || fail "no unlearn binary at $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# --- a private cluster in a temporary folder -----------------------------------------------------------------
work=$(mktemp -d /tmp/unlearn-slurm.XXXXXX)
chmod 755 "$work"
pids=()
jobs_submitted=()
cleanup() {
  local status=$?
  set +e
  if [ ${#jobs_submitted[@]} -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
    scancel "${jobs_submitted[@]}" 2>/dev/null
    for _ in $(seq 20); do
      [ -z "$(squeue -h -j "$(IFS=,; echo "${jobs_submitted[*]}")" 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  if [ $status -ne 0 ]; then
    echo "--- logs (the test failed) ---" >&2
    for f in "$work"/log/*.log "$work"/sweep*/logs/*.out; do
      [ -f "$f" ] && { echo "== $f" >&2; tail -n 15 "$f" >&2; }
    done
  fi
  # Stop exactly the daemons started here, newest first: TERM, then KILL after 10 s.
  for ((k = ${#pids[@]} - 1; k >= 0; k--)); do kill -TERM "${pids[k]}" 2>/dev/null; done
  for _ in $(seq 20); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.5
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  [ ${#pids[@]} -gt 0 ] && say "stopped daemons ${pids[*]}"
  if [ $status -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "test-slurm: files kept in $work" >&2; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work"/{munge,state,spool,log,run}
chmod 700 "$work/munge"
free_port() {  # a TCP port nobody listens on
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo $p; return; fi
  done
  fail "no free TCP port found"
}
host=$(hostname -s)
node=$(slurmd -C | head -1)   # NodeName=<host> CPUs=… RealMemory=…
cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node")
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done

mungekey --create --keyfile="$work/munge/munge.key" 2>/dev/null || dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$work/munge/munge.key"
socket=$work/munge/munge.socket
conf=$work/slurm.conf
cat >"$conf" <<EOF
ClusterName=unlearntest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
KillWait=5
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf

say "starting munged, slurmctld and slurmd (ports $ctld_port, $slurmd_port; $cpus CPUs) in $work"
munged -F --force --socket="$socket" --key-file="$work/munge/munge.key" --pid-file="$work/run/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge/munged.seed" >>"$work/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.2; done
[ -S "$socket" ] || fail "munged did not create its socket within 10 s ($(tail -3 "$work/log/munged.log" 2>/dev/null))"
slurmctld -D -f "$conf" >>"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$conf" -N "$host" >>"$work/log/slurmd.out" 2>&1 &
pids+=($!)

wait_until() {  # seconds, description, command…: polls every 0.5 s
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a daemon (PID $p) died while waiting for $what"; done
    sleep 0.5
  done
}
node_idle() { [ "$(sinfo -h -N -o '%T' 2>/dev/null | head -1)" = idle ]; }
wait_until 60 "the node to be idle in sinfo" node_idle
say "Slurm is up: $(sinfo -h -o '%P %a %D %T %c')"

# --- the sweep ---------------------------------------------------------------------------------------------------
# two-layer-dimension on a small grid: 24 points of 0.2–2.5 s each (release build); 4 shards of 6 points, so
# that a task runs for several seconds and can be cancelled mid-run.
experiment=(two-layer-dimension --seeds 8 --m 6 --width 32 --dimensions 500,1000,2000 --max-iterations 40000 --tolerance 0)
expected_points=24

# Reference: the same grid, unsharded, run locally.
say "local unsharded run of the grid (reference)…"
t0=$SECONDS
"$bin" reproduce "${experiment[@]}" --threads "$cpus" --out "$work/local" >/dev/null
say "  done in $((SECONDS - t0)) s"

stable() {  # runs.csv without the timing columns (name starts with "seconds"), header first, rows sorted
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = ($i !~ /^seconds/) }
           { out = ""; sep = ""; for (i = 1; i <= NF; i++) if (keep[i]) { out = out sep $i; sep = "," } print out }' "$1" |
    { IFS= read -r header; echo "$header"; LC_ALL=C sort; }
}
check_merged() {  # sweep folder: merged runs.csv equals the local run, every grid point once
  local dir=$1
  [ -f "$dir/runs.csv" ] || fail "$dir/runs.csv was not written by the merge job"
  if ! diff <(stable "$work/local/runs.csv") <(stable "$dir/runs.csv") >"$work/diff.txt"; then
    head -20 "$work/diff.txt" >&2
    fail "$dir/runs.csv differs from the local unsharded run (timings excluded)"
  fi
  local dupes
  dupes=$(tail -n +2 "$dir/runs.csv" | LC_ALL=C sort | uniq -d | wc -l)
  [ "$dupes" = 0 ] || fail "$dir/runs.csv has $dupes duplicated rows"
  "$bin" sweep status "$dir" --json >"$work/status.json"
  grep -q "\"merged_points\" : $expected_points" "$work/status.json" || fail "sweep status does not report $expected_points merged points: $(cat "$work/status.json")"
  [ -f "$dir/report.html" ] || fail "$dir/report.html was not written"
  # The tasks ran with the options of DIR/config.json (--config): the same resolved options as the local run.
  cmp -s "$work/local/config.json" "$dir/config.json" || fail "$dir/config.json differs from the local run's: $(diff "$work/local/config.json" "$dir/config.json" | head -5)"
  for i in 0 1 2 3; do compgen -G "$dir/logs/shard-$i.job-*.out" >/dev/null || fail "no Slurm log of task $i in $dir/logs"; done
  compgen -G "$dir/logs/merge.job-*.out" >/dev/null || fail "no Slurm log of the merge job in $dir/logs"
  say "  merged runs.csv = local run: $(($(wc -l <"$dir/runs.csv") - 1)) rows, $expected_points grid points, no duplicates"
}
submit() {  # sweep folder → sets array_job, merge_job
  local dir=$1 out
  out=$("$bin" sweep "${experiment[@]}" --shards 4 --out "$dir" --time 00:10:00 --cpus-per-task 1) ||
    fail "unlearn sweep failed: $out"
  echo "$out" | sed 's/^/    | /'
  array_job=$(sed -n 's/^submitted array job \([0-9]*\).*/\1/p' <<<"$out")
  merge_job=$(sed -n 's/^submitted array job .* merge job \([0-9]*\).*/\1/p' <<<"$out")
  [ -n "$array_job" ] && [ -n "$merge_job" ] || fail "no job ids in: $out"
  jobs_submitted+=("$array_job" "$merge_job")
}
jobs_gone() { [ -z "$(squeue -h -j "$array_job,$merge_job" -o %i 2>/dev/null)" ]; }
job_state() { scontrol -o show job "$1" 2>&1 | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }

# sbatch's own refusal is passed on (exit 69).
if out=$("$bin" sweep "${experiment[@]}" --shards 4 --out "$work/refused" --partition no-such-partition 2>&1); then
  fail "sbatch accepted a job for a partition that does not exist: $out"
else
  code=$?
fi
[ $code = 69 ] && grep -q "sbatch refused sweep.sbatch" <<<"$out" && grep -qi "partition" <<<"$out" ||
  fail "a refused submission should exit 69 with sbatch's message (exit $code): $out"
say "sbatch refusing a job is reported with its message: ${out#error: }"

# Case 1: 4 array tasks and the merge job.
say "case 1: unlearn sweep … --shards 4 (4 array tasks + merge job)"
t1=$SECONDS
submit "$work/sweep1"
wait_until 300 "array job $array_job and merge job $merge_job to finish" jobs_gone
[ "$(job_state "$merge_job")" = COMPLETED ] || fail "merge job $merge_job ended $(job_state "$merge_job") ($(scontrol -o show job "$merge_job" 2>&1 | head -c 300)) (log: $(cat "$work"/sweep1/logs/merge*.out 2>/dev/null | tail -3))"
check_merged "$work/sweep1"
case1=$((SECONDS - t1))
say "case 1 passed in ${case1} s"

# Case 2: cancel an array task mid-run, re-submit, resume.
say "case 2: cancel an array task mid-run (scancel <array job>_<i>), then re-submit the same command"
t2=$SECONDS
dir="$work/sweep 2 (with spaces)"   # the scripts must quote paths
submit "$dir"
first_array=$array_job first_merge=$merge_job
# Submitting again while the first submission is queued or running is refused.
if out=$("$bin" sweep "${experiment[@]}" --shards 4 --out "$dir" 2>&1); then fail "a second submission while the first runs was accepted: $out"; fi
grep -q "still queued or running" <<<"$out" || fail "unexpected refusal: $out"
# Other options for the same folder are refused.
if out=$("$bin" sweep "${experiment[@]}" --seeds 9 --shards 4 --out "$dir" 2>&1); then fail "a submission with other options was accepted: $out"; fi
grep -q "other options" <<<"$out" || fail "unexpected refusal: $out"
victim=
task_mid_run() {  # some array task running, with at least one finished grid point and more to go (sets victim)
  local i rows journal
  for i in 2 3 1 0; do
    [ "$(squeue -h -j "${first_array}_$i" -o %T 2>/dev/null)" = RUNNING ] || continue
    journal=$dir/shards/$i/runs.csv
    [ -f "$journal" ] || continue
    rows=$(($(wc -l <"$journal") - 1))
    if [ "$rows" -ge 1 ] && [ "$rows" -lt $((expected_points / 4)) ]; then victim=$i; return 0; fi
  done
  return 1
}
wait_until 120 "an array task of job $first_array to be running with a grid point done" task_mid_run
scancel "${first_array}_$victim"
journal=$dir/shards/$victim/runs.csv
rows_at_cancel=$(($(wc -l <"$journal") - 1))
say "  cancelled ${first_array}_$victim with $rows_at_cancel of $((expected_points / 4)) grid points in its journal"
array_job=$first_array merge_job=$first_merge
wait_until 300 "the rest of array job $first_array and merge job $first_merge to end" jobs_gone
state=$(job_state "$first_merge")
[ "$state" != COMPLETED ] || fail "the merge job ran although task $victim was cancelled"
[ ! -f "$dir/runs.csv" ] || fail "$dir/runs.csv exists although the merge job must not have run"
say "  merge job $first_merge did not run (state ${state:-gone}); sweep status:"
"$bin" sweep status "$dir" | sed 's/^/    | /'
"$bin" sweep status "$dir" --json | grep -q '"state" : "partial"' || fail "sweep status does not report a partial shard"
# Complete rows before the re-submission (timings included): they must come out unchanged (not rerun).
head -n "$(wc -l <"$journal")" "$journal" | tail -n +2 | LC_ALL=C sort >"$work/before.txt"
say "  re-submitting the same command"
submit "$dir"
wait_until 300 "array job $array_job and merge job $merge_job to finish" jobs_gone
[ "$(job_state "$merge_job")" = COMPLETED ] || fail "merge job $merge_job ended $(job_state "$merge_job")"
missing=$(LC_ALL=C comm -23 "$work/before.txt" <(tail -n +2 "$journal" | LC_ALL=C sort) | wc -l)
[ "$missing" = 0 ] || fail "$missing rows finished before the cancellation were rerun or lost (timings changed)"
say "  the grid points finished before the cancellation ($rows_at_cancel) were kept, not rerun"
check_merged "$dir"
case2=$((SECONDS - t2))
say "case 2 passed in ${case2} s"
say "PASSED: case 1 ${case1} s, case 2 ${case2} s, total $((SECONDS - start)) s"
