#!/bin/sh
# The JVM image's entry point, the same on every base image (UBI's has run-java.sh, Debian's has not): the JVM flags
# that make it fit its container live here, in the image, not in a script of one base.
#   JAVA_MAX_MEM_RATIO  heap as a percentage of the container's memory limit (default 50: the rest is metaspace,
#                       code cache, thread stacks and Kafka's buffers)
#   JAVA_OPTS_APPEND    further JVM options, appended last so they win
# Java 17 reads the cgroup limits itself (UseContainerSupport); exec makes the JVM process 1, so the SIGTERM of a pod
# deletion reaches Quarkus' shutdown directly.
set -eu
# shellcheck disable=SC2086 # JAVA_OPTS_APPEND holds several options, split on purpose.
exec java \
  -XX:MaxRAMPercentage="${JAVA_MAX_MEM_RATIO:-50}" \
  -XX:+ExitOnOutOfMemoryError \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  ${JAVA_OPTS_APPEND:-} \
  -jar /deployments/quarkus-run.jar "$@"
