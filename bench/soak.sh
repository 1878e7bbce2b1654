#!/usr/bin/env bash
# Issue #16's soak: the packaged service against a standalone Kafka broker (Maven Central jars, as bench/run.sh) for
# N minutes at a fixed rate, with clusters born and tombstoned all the time; it watches for growth: retained heap
# after a full GC (jcmd GC.class_histogram) at minute 5 and at the end, clusters tracked, alert book entries, held
# events, /q/metrics series of tombstoned clusters, the consumer group's lag. Prints the table and writes it, with the
# timeline and the heap histograms, to bench/work/soak/.
#
#   bench/soak.sh [--minutes N] [--rate N] [--population N] [--permanent N] [--nodes N] [--lifetime-s N]
#                 [--heap-at-minute N]
#
# Defaults: 30 minutes at 5,000 records/s, 400 clusters alive at once for 240 s each plus 20 that live throughout,
# 10 nodes each. The service and the harness run from a copy of the build taken at the start, so the tree can be
# rebuilt while a soak runs. Everything it starts runs on loopback and is stopped on exit; every wait has a deadline.
set -euo pipefail
cd "$(dirname "$0")/.."

main() {
ROOT=$PWD
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes|--rate|--population|--permanent|--nodes|--lifetime-s|--heap-at-minute) ARGS+=("$1" "$2"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

WORK=bench/work
SOAK=$WORK/soak
LIB=$WORK/lib
rm -rf "$SOAK"
mkdir -p "$SOAK"
log() { echo "[soak $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)] $*"; }
# free_port, wait_for, stop, kafka_jars, start_broker: shared with bench/run.sh
source bench/broker.sh

log "building the service jar and the benchmark classes"
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$ROOT/$SOAK/classpath.txt" \
  -Dmdep.includeScope=test
kafka_jars
cp -r target/quarkus-app "$SOAK/app"
cp -r target/classes "$SOAK/classes"
cp -r target/test-classes "$SOAK/test-classes"
CP="$SOAK/test-classes:$SOAK/classes:$(cat "$SOAK/classpath.txt")"

# As bench/run.sh: the service on one core with the deployment's heap, broker and load generator on the other.
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then ONE=(taskset -c 1); OTHER=(taskset -c 0)
else ONE=(); OTHER=(); fi

BROKER_PID=""; SERVICE_PID=""
cleanup() {
  if [ -n "$SERVICE_PID" ]; then stop "$SERVICE_PID"; SERVICE_PID=""; fi
  if [ -n "$BROKER_PID" ]; then stop "$BROKER_PID"; BROKER_PID=""; fi
}
trap cleanup EXIT

HTTP=$(free_port)
start_broker "$SOAK"

# The service creates its topics (TopicProvisioner) as in production; the harness starts once it is ready.
log "starting the service on :$HTTP"
"${ONE[@]}" java -Xmx256m -XX:+ExitOnOutOfMemoryError ${SERVICE_OPTS:-} \
  -Dkafka.bootstrap.servers="$BOOTSTRAP" -Dquarkus.http.port="$HTTP" \
  -jar "$SOAK/app/quarkus-run.jar" > "$SOAK/service.log" 2>&1 &
SERVICE_PID=$!
wait_for "http://localhost:$HTTP/q/health/ready" 180

log "soaking"
"${OTHER[@]}" java -Xmx1g -cp "$CP" io.aksheadroom.bench.SoakHarness --bootstrap "$BOOTSTRAP" \
  --url "http://localhost:$HTTP" --pid "$SERVICE_PID" --out "$SOAK" "${ARGS[@]}" | tee "$SOAK/harness.log"
kill -0 "$SERVICE_PID" 2>/dev/null || { echo "the service died (see $SOAK/service.log)" >&2; exit 1; }
cleanup
log "written to $SOAK/soak.md (timeline: $SOAK/timeline.csv)"
}

main "$@"
