#!/usr/bin/env bash
# The benchmarks of issue 6 (DESIGN §8), end to end: `plan` at growing sizes against a snapshot,
# `apply` against the ARM emulator at several parallelisms and under a write token bucket, and
# the HTTP requests one `plan` makes against the emulator. Prints a table; see BENCHMARKS.md.
#
# Environment (all optional):
#   RUNS=3                               runs per figure (the median is reported)
#   SIZES="1000 5000 10000 25000 50000"  tokens = scope maps for `plan`
#   APPLY_OBJECTS=1000                   scope maps and tokens each for the apply benchmark
#   PARALLELISMS="1 10 32"               --parallelism values for the apply benchmark
#   APPLY_RUNS=$RUNS                     runs per parallelism (p=1 alone takes minutes)
#   THROTTLE_WRITES=300                  writes under --throttle-writes 20:10
#   WORKSPACE_SIZE=50000                 tokens = scope maps of each registry of the workspace bench
#   WORKSPACE_REGISTRIES=10              registries in the workspace bench
#   WORKSPACE_JOBS="1 2 10"              --jobs values for the workspace bench
#   SECTIONS="plan apply requests throttle workspace"  which parts to run
#   SKIP_BUILD=1                         use the release binaries already built
#   INSTRUCTIONS=1                       also count each plan's instructions under callgrind
#                                        (one run per row; a minute or two at 50k): the figure
#                                        that does not move when other work shares the machine
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000 5000 10000 25000 50000"}
APPLY_OBJECTS=${APPLY_OBJECTS:-1000}
PARALLELISMS=${PARALLELISMS:-"1 10 32"}
APPLY_RUNS=${APPLY_RUNS:-$RUNS}
THROTTLE_WRITES=${THROTTLE_WRITES:-300}
WORKSPACE_SIZE=${WORKSPACE_SIZE:-50000}
WORKSPACE_REGISTRIES=${WORKSPACE_REGISTRIES:-10}
WORKSPACE_JOBS=${WORKSPACE_JOBS:-"1 2 10"}
SECTIONS=${SECTIONS:-"plan apply requests throttle workspace"}
section() { [[ " $SECTIONS " == *" $1 "* ]]; }
LATENCY_MS=20
# Bounds every single command, so the script always stops by itself.
STEP_TIMEOUT=${STEP_TIMEOUT:-900}

SUB=00000000-0000-0000-0000-000000000000
RG=synth-rg
REGISTRY=synthregistry

if [[ -z "${SKIP_BUILD:-}" ]]; then
    cargo build --release --workspace --quiet
    cargo build --release -p scopeform --example synth --quiet
fi
BIN=target/release/scopeform
EMULATOR=target/release/acr-emulator
SYNTH=target/release/examples/synth

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scopeform-bench.XXXXXX")
EMULATOR_PID=""
stop_emulator() {
    if [[ -n "$EMULATOR_PID" ]]; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
        EMULATOR_PID=""
    fi
}
cleanup() {
    stop_emulator
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The median of the numbers on stdin.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Starts the emulator with extra flags; sets EMULATOR_PID and ENDPOINT.
start_emulator() {
    local out="$WORK/emulator.out"
    : >"$out"
    "$EMULATOR" --listen 127.0.0.1:0 --registry "$SUB/$RG/$REGISTRY:Premium" "$@" >"$out" 2>"$WORK/emulator.err" &
    EMULATOR_PID=$!
    for _ in $(seq 100); do
        if grep -q '^listening on ' "$out"; then
            ENDPOINT=$(sed -n 's/^listening on //p' "$out" | head -1)
            return 0
        fi
        sleep 0.1
    done
    echo "the emulator did not start" >&2
    cat "$WORK/emulator.err" >&2
    exit 1
}

emulator_stats() {
    curl -sf "$ENDPOINT/_emulator/state" | jq -c '.stats'
}

now_ms() { date +%s%3N; }

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ { print $2 }') GB"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# --- plan against a snapshot ----------------------------------------------------------------
if section plan; then
echo "## plan against a snapshot (10 rules per scope map, 1% drift; median of $RUNS)"
echo
printf '| %-13s | %-6s | %9s | %8s | %9s | %9s | %9s | %9s | %10s | %9s | %8s | %8s | %11s |\n' \
    objects config wall_ms rss_mb load_ms read_ms parse_ms check_ms resolve_ms live_ms diff_ms render_ms us_per_obj
printf '|%s|\n' "---------------|--------|-----------|----------|-----------|-----------|-----------|-----------|------------|-----------|----------|----------|-------------"
plan_row() { # size, config file name
    local size=$1 config=$2 dir="$WORK/plan-$1"
    local walls=() rsss=() loads=() reads=() parses=() checks=() resolves=() lives=() diffs=() renders=()
    for _ in $(seq "$RUNS"); do
        timeout "$STEP_TIMEOUT" /usr/bin/time -v "$BIN" plan "$dir/$config" --state "$dir/live.json" \
            --format json -v >"$WORK/plan.json" 2>"$WORK/plan.err" || {
            tail -20 "$WORK/plan.err" >&2
            exit 1
        }
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s * 1000 }' "$WORK/plan.err")")
        rsss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$WORK/plan.err")")
        loads+=("$(sed -n 's/^load and validate: \([0-9.]*\) ms.*/\1/p' "$WORK/plan.err")")
        reads+=("$(sed -n 's/^configuration: read \([0-9.]*\) ms, .*/\1/p' "$WORK/plan.err")")
        parses+=("$(sed -n 's/^configuration: .*, parse \([0-9.]*\) ms, .*/\1/p' "$WORK/plan.err")")
        checks+=("$(sed -n 's/^configuration: .*, check \([0-9.]*\) ms .*/\1/p' "$WORK/plan.err")")
        resolves+=("$(sed -n 's/^configuration: .*, resolve \([0-9.]*\) ms$/\1/p' "$WORK/plan.err")")
        lives+=("$(sed -n 's/^read live registry: \([0-9.]*\) ms.*/\1/p' "$WORK/plan.err")")
        diffs+=("$(sed -n 's/^diff: \([0-9.]*\) ms.*/\1/p' "$WORK/plan.err")")
        renders+=("$(sed -n 's/^render: \([0-9.]*\) ms.*/\1/p' "$WORK/plan.err")")
    done
    local wall rss
    wall=$(printf '%s\n' "${walls[@]}" | median)
    rss=$(printf '%s\n' "${rsss[@]}" | median)
    printf '| %-13s | %-6s | %9.0f | %8.0f | %9s | %9s | %9s | %9s | %10s | %9s | %8s | %8s | %11.1f |\n' \
        "$((size / 1000))k + $((size / 1000))k" "${config#config.}" "$wall" "$rss" \
        "$(printf '%s\n' "${loads[@]}" | median)" "$(printf '%s\n' "${reads[@]}" | median)" \
        "$(printf '%s\n' "${parses[@]}" | median)" "$(printf '%s\n' "${checks[@]}" | median)" \
        "$(printf '%s\n' "${resolves[@]}" | median)" \
        "$(printf '%s\n' "${lives[@]}" | median)" \
        "$(printf '%s\n' "${diffs[@]}" | median)" "$(printf '%s\n' "${renders[@]}" | median)" \
        "$(echo "$wall * 1000 / ($size * 2)" | bc -l)"
}
for size in $SIZES; do
    "$SYNTH" --tokens "$size" --scope-maps "$size" --rules 10 --drift 1 --seed 42 \
        --out "$WORK/plan-$size" 2>/dev/null
    plan_row "$size" config.yaml
    plan_row "$size" config.hcl
done
echo
if [[ -n "${INSTRUCTIONS:-}" ]]; then
    echo "## instructions per plan (valgrind --tool=callgrind, whole process, both threads)"
    echo
    printf '| %-13s | %-6s | %14s |\n' objects config instructions
    printf '|%s|\n' "---------------|--------|----------------"
    for size in $SIZES; do
        for config in config.yaml config.hcl; do
            dir="$WORK/plan-$size"
            timeout "$STEP_TIMEOUT" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
                "$BIN" plan "$dir/$config" --state "$dir/live.json" --format json \
                >/dev/null 2>"$WORK/callgrind.err"
            printf '| %-13s | %-6s | %14s |\n' "$((size / 1000))k + $((size / 1000))k" \
                "${config#config.}" "$(sed -n 's/.*Collected : \([0-9]*\)$/\1/p' "$WORK/callgrind.err")"
        done
    done
    echo
fi
for size in $SIZES; do rm -rf "$WORK/plan-$size"; done
echo "# load after plan: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
fi

# --- a workspace of many registries against snapshots ---------------------------------------
if section workspace; then
ws="$WORK/ws"
mkdir -p "$ws/states"
"$SYNTH" --tokens "$WORKSPACE_SIZE" --scope-maps "$WORKSPACE_SIZE" --rules 10 --drift 1 --seed 42 \
    --out "$ws/data" 2>/dev/null
echo "registries:" >"$ws/scopeform.workspace.yaml"
for i in $(seq -w 1 "$WORKSPACE_REGISTRIES"); do
    # Every registry reads the same configuration and (hard-linked) the same snapshot: the
    # work of each is that of one Premium registry.
    echo "  r$i: [data/config.yaml]" >>"$ws/scopeform.workspace.yaml"
    ln "$ws/data/live.json" "$ws/states/r$i.json"
done
echo "## a workspace of $WORKSPACE_REGISTRIES registries of $((WORKSPACE_SIZE / 1000))k + $((WORKSPACE_SIZE / 1000))k against snapshots (YAML, --format json; median of $RUNS)"
echo
echo "cpu_s is user + system time, steadier than wall time on a shared machine."
echo
printf '| %-16s | %8s | %8s | %8s | %10s | %9s |\n' run wall_s cpu_s rss_mb "wall vs 1" "cpu vs 1"
printf '|%s|\n' "------------------|----------|----------|----------|------------|-----------"
ws_measure() { # label, then the command's arguments
    local label=$1
    shift
    local walls=() cpus=() rsss=()
    for _ in $(seq "$RUNS"); do
        (cd "$ws" && timeout "$STEP_TIMEOUT" /usr/bin/time -v "$OLDPWD/$BIN" "$@" --format json \
            >"$WORK/ws.json" 2>"$WORK/ws.err") || {
            tail -20 "$WORK/ws.err" >&2
            exit 1
        }
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/ws.err")")
        cpus+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$WORK/ws.err")")
        rsss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$WORK/ws.err")")
    done
    ws_wall=$(printf '%s\n' "${walls[@]}" | median)
    ws_cpu=$(printf '%s\n' "${cpus[@]}" | median)
    ws_rss=$(printf '%s\n' "${rsss[@]}" | median)
    one_wall=${one_wall:-$ws_wall} one_cpu=${one_cpu:-$ws_cpu}
    printf '| %-16s | %8.2f | %8.2f | %8.0f | %9.2fx | %8.2fx |\n' "$label" "$ws_wall" "$ws_cpu" \
        "$ws_rss" "$(echo "$ws_wall / $one_wall" | bc -l)" "$(echo "$ws_cpu / $one_cpu" | bc -l)"
}
one_wall='' one_cpu=''
ws_measure "one registry" plan data/config.yaml --state data/live.json
for jobs in $WORKSPACE_JOBS; do
    ws_measure "$WORKSPACE_REGISTRIES, --jobs $jobs" plan --workspace scopeform.workspace.yaml \
        --state states --jobs "$jobs"
done
rm -rf "$ws"
echo
echo "# load after workspace: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
fi

# --- apply against the emulator -------------------------------------------------------------
if section apply || section requests || section throttle; then
export SCOPEFORM_ARM_TOKEN=bench-token-not-a-secret
apply_dir="$WORK/apply"
"$SYNTH" --tokens "$APPLY_OBJECTS" --scope-maps "$APPLY_OBJECTS" --rules 10 --drift 0 --seed 42 \
    --out "$apply_dir" 2>/dev/null
writes=$((APPLY_OBJECTS * 2))

if section apply; then

echo "## apply $APPLY_OBJECTS scope maps + $APPLY_OBJECTS tokens ($writes writes), emulator --latency-ms $LATENCY_MS --async (median of $APPLY_RUNS)"
echo
printf '| %-11s | %9s | %15s | %8s | %17s | %12s | %9s | %7s |\n' \
    parallelism wall_s "ideal_s (w*l/p)" ratio "honest_ideal_s" ratio_honest req/write max_conc
printf '|%s|\n' "-------------|-----------|-----------------|----------|-------------------|--------------|-----------|---------"
for p in $PARALLELISMS; do
    walls=() stats=""
    for _ in $(seq "$APPLY_RUNS"); do
        start_emulator --latency-ms "$LATENCY_MS" --async --async-delay-ms 0
        t0=$(now_ms)
        SCOPEFORM_ARM_ENDPOINT=$ENDPOINT timeout "$STEP_TIMEOUT" "$BIN" apply "$apply_dir/config.yaml" \
            --auto-approve --parallelism "$p" >"$WORK/apply.out" 2>"$WORK/apply.err" || {
            tail -20 "$WORK/apply.err" >&2
            exit 1
        }
        t1=$(now_ms)
        stats=$(emulator_stats)
        stop_emulator
        walls+=("$(echo "($t1 - $t0) / 1000" | bc -l)")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    requests=$(jq '.requests' <<<"$stats")
    ideal=$(echo "$writes * $LATENCY_MS / 1000 / $p" | bc -l)
    # Every asynchronous write is a PUT and at least one poll, each answered after the latency.
    honest=$(echo "2 * $ideal" | bc -l)
    printf '| %11s | %9.2f | %15.2f | %7.2fx | %17.2f | %11.2fx | %9.2f | %7s |\n' \
        "$p" "$wall" "$ideal" "$(echo "$wall / $ideal" | bc -l)" "$honest" \
        "$(echo "$wall / $honest" | bc -l)" "$(echo "$requests / $writes" | bc -l)" \
        "$(jq '.max_concurrent_writes' <<<"$stats")"
done
echo

fi

# --- requests per plan ----------------------------------------------------------------------
if section requests; then
start_emulator --latency-ms 0
SCOPEFORM_ARM_ENDPOINT=$ENDPOINT timeout "$STEP_TIMEOUT" "$BIN" apply "$apply_dir/config.yaml" \
    --auto-approve --parallelism 32 >/dev/null 2>"$WORK/apply.err"
before=$(emulator_stats | jq '.requests')
SCOPEFORM_ARM_ENDPOINT=$ENDPOINT timeout "$STEP_TIMEOUT" "$BIN" plan "$apply_dir/config.yaml" \
    --format json >/dev/null 2>"$WORK/plan.err" || true
after=$(emulator_stats | jq '.requests')
stop_emulator
echo "## HTTP requests of one plan against the emulator ($APPLY_OBJECTS scope maps + $APPLY_OBJECTS tokens, page size 100): $((after - before))"
echo
fi

# --- apply under a write token bucket -------------------------------------------------------
if section throttle; then
half=$((THROTTLE_WRITES / 2))
throttle_dir="$WORK/throttle"
"$SYNTH" --tokens "$half" --scope-maps "$half" --rules 10 --drift 0 --seed 42 \
    --out "$throttle_dir" 2>/dev/null
bound=$(echo "($THROTTLE_WRITES - 20) / 10" | bc -l)
echo "## apply $THROTTLE_WRITES writes under --throttle-writes 20:10 (--parallelism 10, --latency-ms $LATENCY_MS --async; bucket limit $(printf '%.0f' "$bound") s)"
echo
printf '| %3s | %8s | %8s | %9s | %6s | %13s |\n' run wall_s ratio throttled failed writes_seen
printf '|%s|\n' "-----|----------|----------|-----------|--------|---------------"
walls=()
for run in $(seq "$RUNS"); do
    start_emulator --latency-ms "$LATENCY_MS" --async --async-delay-ms 0 --throttle-writes 20:10
    t0=$(now_ms)
    status=0
    SCOPEFORM_ARM_ENDPOINT=$ENDPOINT timeout "$STEP_TIMEOUT" "$BIN" apply "$throttle_dir/config.yaml" \
        --auto-approve --parallelism 10 >"$WORK/apply.out" 2>"$WORK/apply.err" || status=$?
    t1=$(now_ms)
    stats=$(emulator_stats)
    stop_emulator
    wall=$(echo "($t1 - $t0) / 1000" | bc -l)
    walls+=("$wall")
    failed=$([[ $status -eq 0 ]] && echo 0 || grep -c 'failed' "$WORK/apply.err" || true)
    printf '| %3s | %8.2f | %7.2fx | %9s | %6s | %13s |\n' "$run" "$wall" \
        "$(echo "$wall / $bound" | bc -l)" "$(jq '.throttled' <<<"$stats")" "$failed" \
        "$(jq '.writes' <<<"$stats")"
done
wall=$(printf '%s\n' "${walls[@]}" | median)
echo
echo "median: $(printf '%.2f' "$wall") s = $(printf '%.2f' "$(echo "$wall / $bound" | bc -l)")x of the bucket's limit"
echo
fi
fi
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
