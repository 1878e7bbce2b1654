#!/usr/bin/env bash
# Issue #7's benchmarks in one command: a standalone Kafka broker from Maven Central jars on localhost, a synthetic
# fleet loaded into it, then on the same broker and data: Kafka's own ConsumerPerformance (the limit), the service
# jar consuming end to end (replay at start, then a live backlog), latency at a fixed offered rate, /q/metrics with
# the fleet loaded; then JMH (per-event cost as clusters grow) and heap per tracked node. Prints the table and writes
# it to BENCHMARKS.md (to bench/work/BENCHMARKS-smoke.md with --smoke).
#
#   bench/run.sh [--smoke] [--pipeline-only] [--recovery-only] [--no-recovery] [--recovery-growth]
#                [--form minute|sample] [--clusters N] [--nodes N] [--minutes N] [--rate N] [--seconds N]
#
# Batch 0 is replayed at start; batches 1..5 are drained live, one at a time. Five runs of the raw consumer and of
# the drain, not three: on this shared machine single runs of either spread by a factor of two.
# --smoke: tiny sizes, seconds per phase, so CI keeps the harness working; it asserts nothing about speed.
# Samples go onto aks.lb-metrics as the metrics poller writes them, one record per load balancer and minute
# (--form minute, the default), or one record per sample (--form sample), the form other producers may still write.
# --pipeline-only: the Kafka phases alone, without JMH and heap (to profile the service).
# Recovery: per fleet shape, on topics of its own, Kafka's consumer reads the input records once, then the service
# starts on them twice (first with nothing committed, then restarted on what the first run committed, once the first
# run has written its state snapshots: the restart restores them) and its own gauges say how long it took from the
# assignment of its partitions to live. By default the issue's two fleets
# (1,000 x 20 and 100 x 200 nodes, 1 h of samples); --recovery-growth adds smaller fleets and shorter windows, to show
# how recovery grows with both. --recovery-only: that phase alone (to bench/work/BENCHMARKS-recovery.md);
# --no-recovery: everything else.
# SERVICE_OPTS: extra JVM options for the service, e.g. a flight recording to profile it:
#   SERVICE_OPTS=-XX:StartFlightRecording=filename=bench/work/run/service.jfr,settings=profile bench/run.sh
# Everything it starts runs on loopback and is stopped on exit; every wait has a deadline.
set -euo pipefail
cd "$(dirname "$0")/.."

# All in one function, so bash has read the whole script before it runs any of it: editing this file while a run
# goes on (a long one takes minutes) cannot make the running one execute shifted lines.
main() {
ROOT=$PWD

SMOKE=false
PIPELINE_ONLY=false
RECOVERY=true
MAIN=true
FORM=minute
CLUSTERS=1000          # the scrape figure is for 1,000 clusters
NODES=20
MINUTES=15             # per batch: batch 0 (replayed at start) and batch 1 (drained live)
RATE=5000              # offered records/s of the latency phase
SECONDS_MEASURED=30
WARMUP_S=10
RAW_RUNS=5
LIVE_RUNS=5
SCRAPES=100
JMH_ARGS=(-rf json)
HEAP_SHAPES=("1000 20" "10 5000")
# clusters, nodes, minutes of samples replayed, form: the targets' fleet first.
RECOVERY_SHAPES=("1000 20 60 minute" "100 200 60 minute")
RECOVERY_GROWTH=("1000 20 15 minute" "1000 20 30 minute" "250 20 60 minute" "500 20 60 minute")
GROWTH=false
RECOVERY_RAW_RUNS=3
RECOVERY_STARTS=(first restart)
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=true ;;
    --pipeline-only) PIPELINE_ONLY=true ;;
    --recovery-only) MAIN=false; PIPELINE_ONLY=true ;;
    --no-recovery) RECOVERY=false ;;
    --recovery-growth) GROWTH=true ;;
    --form) FORM=$2; shift ;;
    --clusters) CLUSTERS=$2; shift ;;
    --nodes) NODES=$2; shift ;;
    --minutes) MINUTES=$2; shift ;;
    --rate) RATE=$2; shift ;;
    --seconds) SECONDS_MEASURED=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if $SMOKE; then
  CLUSTERS=20; NODES=5; MINUTES=2; SECONDS_MEASURED=2; WARMUP_S=1; RAW_RUNS=1; LIVE_RUNS=1; SCRAPES=5
  JMH_ARGS=(-rf json -f 0 -wi 0 -i 1 -r 200ms -p nodes=10,100)
  HEAP_SHAPES=("20 5")
  RECOVERY_SHAPES=("20 5 2 minute")
  GROWTH=false
  RECOVERY_RAW_RUNS=1
  RECOVERY_STARTS=(first)  # one service start keeps the phase working at the least CI time
  OUT=bench/work/BENCHMARKS-smoke.md
elif ! $MAIN; then
  OUT=bench/work/BENCHMARKS-recovery.md
else
  OUT=BENCHMARKS.md
fi

WORK=bench/work
RUN=$WORK/run
LIB=$WORK/lib
rm -rf "$RUN"
mkdir -p "$RUN"
RESULTS=$RUN/results.properties
: > "$RESULTS"
note() { echo "$1=$2" >> "$RESULTS"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
runs() { # key, load at the start, rates...: every run, their median (the figure) and the load over them
  local key=$1 load=$2; shift 2
  local sorted=($(printf '%s\n' "$@" | sort -n))
  note "$key.runs" "$#"
  note "$key.all" "$(IFS=/; echo "$*") records/s"
  note "$key.rate" "${sorted[$(( ($# - 1) / 2 ))]}"
  note "$key.load" "$load -> $(loadavg)"
}
log() { echo "[bench $(date +%T) load $(loadavg)] $*"; }
# free_port, wait_for, stop, kafka_jars, start_broker: shared with bench/soak.sh
source bench/broker.sh

log "building the service jar and the benchmark classes"
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$RUN/classpath.txt" \
  -Dmdep.includeScope=test
kafka_jars
CP="target/test-classes:target/classes:$(cat "$RUN/classpath.txt")"

# One small pod: the service gets one core and the heap of the k8s deployment (256 MiB); Kafka's consumer tool and
# JMH get the same core, so the comparison is like for like. Broker and load generator take the other core.
CORES=$(nproc)
if command -v taskset >/dev/null && [ "$CORES" -ge 2 ]; then
  ONE=(taskset -c 1); OTHER=(taskset -c 0)
  note run.placement "service, ConsumerPerformance and JMH pinned to core 1; broker and load generator to core 0"
else
  ONE=(); OTHER=()
  note run.placement "not pinned (no taskset or one core)"
fi
note run.smoke "$SMOKE"
note run.date "$(date -u +%Y-%m-%dT%H:%MZ)"
note run.load.start "$(loadavg)"
note machine.cores "$CORES"
note machine.cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || echo unknown)"
note machine.memory "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
note machine.jdk "$(java -version 2>&1 | head -1)"
note machine.os "$(uname -sr)"
harness() { "${OTHER[@]}" java -Xmx1g -cp "$CP" io.aksheadroom.bench.PipelineHarness "$@" --results "$RESULTS"; }

BROKER_PID=""; SERVICE_PID=""
cleanup() {
  # The service first, so its producers flush and its consumer leaves the group while the broker still answers.
  if [ -n "$SERVICE_PID" ]; then stop "$SERVICE_PID"; SERVICE_PID=""; fi
  if [ -n "$BROKER_PID" ]; then stop "$BROKER_PID"; BROKER_PID=""; fi
}
trap cleanup EXIT

HTTP=$(free_port)
start_broker "$RUN"

if $MAIN; then
log "loading batch 0: $CLUSTERS clusters x $NODES nodes, $MINUTES minutes of samples"
harness load --bootstrap "$BOOTSTRAP" --clusters "$CLUSTERS" --nodes "$NODES" --minutes "$MINUTES" --batch 0 \
  --batches "$((LIVE_RUNS + 1))" --form "$FORM"
SAMPLES=$(grep '^load.b0.aks.lb-metrics=' "$RESULTS" | cut -d= -f2)
B0=$(grep '^load.b0.records=' "$RESULTS" | cut -d= -f2)

log "raw consumer: ConsumerPerformance on aks.lb-metrics, $SAMPLES records, $RAW_RUNS runs"
RAW_LOAD_START=$(loadavg)
RATES=()
for i in $(seq 1 "$RAW_RUNS"); do
  # CSV: start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms, fetch MB/s, fetch records/s
  line=$("${ONE[@]}" java -Xmx256m -cp "$LIB/*" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
    --topic aks.lb-metrics --messages "$SAMPLES" --group "bench-raw-$i" --hide-header --timeout 30000 2>>"$RUN/raw.log" \
    | tail -1)
  echo "$line" >> "$RUN/raw.log"
  # fetch records/s leaves the group join out, as the pipeline figures (measured once consuming) do.
  RATES+=("$(echo "$line" | awk -F', *' '{printf "%.0f", $10}')")
done
note raw.records "$SAMPLES"
runs raw "$RAW_LOAD_START" "${RATES[@]}"

log "starting the service on :$HTTP (it replays batch 0 silently)"
"${ONE[@]}" java -Xmx256m -XX:+ExitOnOutOfMemoryError \
  -Dkafka.bootstrap.servers="$BOOTSTRAP" -Dquarkus.http.port="$HTTP" \
  -Dmp.messaging.incoming.cluster-events.session.timeout.ms=120000 ${SERVICE_OPTS:-} \
  -jar target/quarkus-app/quarkus-run.jar > "$RUN/service.log" 2>&1 &
SERVICE_PID=$!
URL=http://localhost:$HTTP
harness await --url "$URL" --key replay --target "$B0" --timeout-s 900
# The replay ends per partition once caught up; give the settle step (recommendations published) a moment.
sleep 3

# Repeated: one drain takes seconds and the machine is shared; the median of the runs is the figure.
LIVE_LOAD_START=$(loadavg)
DONE=$B0
LIVE_RATES=()
for i in $(seq 1 "$LIVE_RUNS"); do
  log "live $i/$LIVE_RUNS: service stopped (SIGSTOP) while batch $i is loaded, then continued on a backlog"
  kill -STOP "$SERVICE_PID"
  harness load --bootstrap "$BOOTSTRAP" --clusters "$CLUSTERS" --nodes "$NODES" --minutes "$MINUTES" --batch "$i" \
    --form "$FORM"
  BATCH=$(grep "^load.b$i.records=" "$RESULTS" | cut -d= -f2)
  harness await --url "$URL" --key "live.$i" --target "$((DONE + BATCH))" --from "$DONE" --resume-pid "$SERVICE_PID" \
    --timeout-s 900
  DONE=$((DONE + BATCH))
  LIVE_RATES+=("$(grep "^live.$i.rate=" "$RESULTS" | cut -d= -f2)")
  sleep 2
done
note live.records "$BATCH"
runs live "$LIVE_LOAD_START" "${LIVE_RATES[@]}"

log "latency at $RATE records/s for $SECONDS_MEASURED s (+$WARMUP_S s warm-up)"
harness latency --bootstrap "$BOOTSTRAP" --clusters "$CLUSTERS" --nodes "$NODES" --rate "$RATE" \
  --seconds "$SECONDS_MEASURED" --warmup-s "$WARMUP_S" --form "$FORM"
curl -sf "$URL/q/metrics" | grep -E '^aks_headroom_(event_to_publish_lag|record_processing)_seconds' \
  > "$RUN/service-histograms.txt" || true

log "scrape: GET /q/metrics with $CLUSTERS clusters"
harness scrape --url "$URL" --bootstrap "$BOOTSTRAP" --count "$SCRAPES" --warmup 20 --clusters "$CLUSTERS" --nodes "$NODES" \
  --changed-per-scrape $(( (CLUSTERS + 3) / 4 ))
grep -q 'aks_headroom_records_dead_lettered' <(curl -sf "$URL/q/metrics") \
  && log "note: the service dead-lettered records (see $RUN/service.log)"
curl -sf "$URL/q/metrics" > "$RUN/metrics-final.txt" || true
stop "$SERVICE_PID"; SERVICE_PID=""
fi

# One fleet per shape, each on topics of its own (prefix r<i>.), on the same broker. Per shape: Kafka's consumer reads
# the input records the service will replay (median of RECOVERY_RAW_RUNS, each the sum over the three topics of its
# fetch time, group joins left out), then the service starts on them twice: first with nothing committed (it
# replays everything to the log end), then restarted (it replays to what its first run committed). Each time the
# figure is the service's own, assignment to live.
recovery_shape() { # index, clusters, nodes, minutes, form
  local i=$1 clusters=$2 nodes=$3 minutes=$4 form=$5 prefix="r$1." key="recovery.r$1"
  log "recovery $i: $clusters clusters x $nodes nodes, $minutes minutes of samples ($form form)"
  note "$key.shape" "$clusters $nodes $minutes $form"
  harness load --bootstrap "$BOOTSTRAP" --clusters "$clusters" --nodes "$nodes" --minutes "$minutes" --batch 0 \
    --batches 1 --form "$form" --prefix "$prefix"
  local load_start totals=() topic messages line total
  load_start=$(loadavg)
  for run in $(seq 1 "$RECOVERY_RAW_RUNS"); do
    total=0
    for topic in aks.cluster-profiles aks.node-events aks.lb-metrics; do
      messages=$(grep "^load.${prefix}b0.$topic=" "$RESULTS" | cut -d= -f2)
      # CSV: start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms, fetch MB/s, fetch records/s
      line=$("${ONE[@]}" java -Xmx256m -cp "$LIB/*" org.apache.kafka.tools.ConsumerPerformance \
        --bootstrap-server "$BOOTSTRAP" --topic "$prefix$topic" --messages "$messages" --group "bench-raw-$prefix$run" \
        --hide-header --timeout 30000 2>>"$RUN/raw.log" | tail -1)
      echo "$prefix$topic $line" >> "$RUN/raw.log"
      total=$((total + $(echo "$line" | awk -F', *' '{printf "%.0f", $8}')))
    done
    totals+=("$total")
  done
  local sorted=($(printf '%s\n' "${totals[@]}" | sort -n))
  note "$key.records" "$(grep "^load.${prefix}b0.records=" "$RESULTS" | cut -d= -f2)"
  note "$key.raw.ms" "${sorted[$(( (${#sorted[@]} - 1) / 2 ))]}"
  note "$key.raw.all" "$(IFS=/; echo "${totals[*]}") ms"
  note "$key.raw.load" "$load_start -> $(loadavg)"
  local props=() name
  for name in cluster-profiles node-events lb-metrics natgw-metrics recommendations alerts monitor-state dead-letter; do
    props+=("-Daks-headroom.topics.$name=${prefix}aks.$name")
  done
  for start in "${RECOVERY_STARTS[@]}"; do
    local port; port=$(free_port)
    "${ONE[@]}" java -Xmx256m -XX:+ExitOnOutOfMemoryError \
      -Dkafka.bootstrap.servers="$BOOTSTRAP" -Dquarkus.http.port="$port" "${props[@]}" \
      -Dmp.messaging.incoming.cluster-events.group.id="${prefix}aks-headroom" ${SERVICE_OPTS:-} \
      -jar target/quarkus-app/quarkus-run.jar > "$RUN/service-$prefix$start.log" 2>&1 &
    SERVICE_PID=$!
    # The first run waits for its state snapshots (every cluster, and the 6 partitions' manifests): the restart
    # restores them and replays only what comes after.
    harness recovery --url "http://localhost:$port" --key "$key.$start" --timeout-s 900 \
      $([ "$start" = first ] && [ "${#RECOVERY_STARTS[@]}" -gt 1 ] && echo "--await-snapshots $((clusters + 6))")
    stop "$SERVICE_PID"; SERVICE_PID=""
  done
}

if $RECOVERY; then
  $GROWTH && RECOVERY_SHAPES+=("${RECOVERY_GROWTH[@]}")
  for i in "${!RECOVERY_SHAPES[@]}"; do
    recovery_shape "$i" ${RECOVERY_SHAPES[$i]}
  done
  note recovery.shapes "${#RECOVERY_SHAPES[@]}"
fi
cleanup

if $PIPELINE_ONLY; then
  HEAP_SHAPES=()
else
log "JMH: MonitorBenchmark"
JMH_LOAD_START=$(loadavg)
"${ONE[@]}" java -cp "$CP" org.openjdk.jmh.Main MonitorBenchmark "${JMH_ARGS[@]}" -rff "$RUN/jmh.json" \
  > "$RUN/jmh.log" 2>&1
grep -A20 '^Benchmark' "$RUN/jmh.log" || true
note jmh.load "$JMH_LOAD_START -> $(loadavg)"
fi

for shape in "${HEAP_SHAPES[@]}"; do
  set -- $shape
  log "heap: $1 clusters x $2 nodes"
  "${ONE[@]}" java -Xmx2g -cp "$CP" io.aksheadroom.bench.PipelineHarness heap --clusters "$1" --nodes "$2" \
    --minutes "$MINUTES" --results "$RESULTS"
done

note run.load.end "$(loadavg)"
java -cp "$CP" io.aksheadroom.bench.BenchReport "$RESULTS" "$RUN/jmh.json" "$OUT"
log "written to $OUT (raw figures in $RUN)"
}

main "$@"
