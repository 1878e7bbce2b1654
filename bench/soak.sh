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

log "building the service jar and the benchmark classes"
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$ROOT/$SOAK/classpath.txt" \
  -Dmdep.includeScope=test
if [ ! -f "$LIB/kafka-tools-4.1.2.jar" ]; then
  log "copying Kafka's broker and tools from Maven into $LIB"
  ./mvnw -B -q -f bench/pom.xml dependency:copy-dependencies -DoutputDirectory=work/lib
fi
cp -r target/quarkus-app "$SOAK/app"
cp -r target/classes "$SOAK/classes"
cp -r target/test-classes "$SOAK/test-classes"
CP="$SOAK/test-classes:$SOAK/classes:$(cat "$SOAK/classpath.txt")"

# As bench/run.sh: the service on one core with the deployment's heap, broker and load generator on the other.
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then ONE=(taskset -c 1); OTHER=(taskset -c 0)
else ONE=(); OTHER=(); fi

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port" >&2; exit 1
}
wait_for() { # url-or-port, seconds
  for _ in $(seq 1 $(($2 * 5))); do
    if [[ "$1" == http* ]]; then curl -sf -o /dev/null "$1" && return 0
    elif (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "timed out waiting for $1" >&2; return 1
}
BROKER_PID=""; SERVICE_PID=""
stop() { # pid: TERM, up to 10 s to finish, then KILL
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  if [ -n "$SERVICE_PID" ]; then stop "$SERVICE_PID"; SERVICE_PID=""; fi
  if [ -n "$BROKER_PID" ]; then stop "$BROKER_PID"; BROKER_PID=""; fi
}
trap cleanup EXIT

PORT=$(free_port); CPORT=$(free_port); HTTP=$(free_port)
BOOTSTRAP=localhost:$PORT
cat > "$SOAK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CPORT
listeners=PLAINTEXT://localhost:$PORT,CONTROLLER://localhost:$CPORT
advertised.listeners=PLAINTEXT://localhost:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$ROOT/$SOAK/kafka-logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
log "formatting and starting the broker on $BOOTSTRAP"
CLUSTER_UUID=$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
java -cp "$LIB/*" kafka.tools.StorageTool format -t "$CLUSTER_UUID" -c "$SOAK/server.properties" \
  > "$SOAK/format.log" 2>&1
"${OTHER[@]}" java -Xms1g -Xmx1g -cp "$LIB/*" kafka.Kafka "$SOAK/server.properties" > "$SOAK/broker.log" 2>&1 &
BROKER_PID=$!
wait_for "$PORT" 60

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
