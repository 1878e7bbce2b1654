# Sourced by bench/run.sh and bench/soak.sh: free loopback ports, waiting for a port or a URL, stopping a process, and
# a standalone single-node KRaft broker from Kafka's own jars (Maven Central, copied into $LIB once). Run from the
# repository's root; the caller sets LIB, OTHER (the command prefix that pins the broker to its core; may be empty)
# and log().

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

stop() { # pid: continued if stopped, TERM, up to 10 s to finish, then KILL
  kill -CONT "$1" 2>/dev/null || true
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

kafka_jars() { # Kafka's broker and tools into $LIB, unless there already
  if [ ! -f "$LIB/kafka-tools-4.1.2.jar" ]; then
    log "copying Kafka's broker and tools from Maven into $LIB"
    ./mvnw -B -q -f bench/pom.xml dependency:copy-dependencies -DoutputDirectory=work/lib
  fi
}

start_broker() { # directory for its properties, logs and data; sets BOOTSTRAP and BROKER_PID
  local dir=$1 port cport uuid
  port=$(free_port); cport=$(free_port)
  BOOTSTRAP=localhost:$port
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$cport
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$cport
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$(cd "$dir" && pwd)/kafka-logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  log "formatting and starting the broker on $BOOTSTRAP"
  uuid=$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
  java -cp "$LIB/*" kafka.tools.StorageTool format -t "$uuid" -c "$dir/server.properties" > "$dir/format.log" 2>&1
  "${OTHER[@]}" java -Xms1g -Xmx1g -cp "$LIB/*" kafka.Kafka "$dir/server.properties" > "$dir/broker.log" 2>&1 &
  BROKER_PID=$!
  wait_for "$port" 60
}
