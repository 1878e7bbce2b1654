#!/usr/bin/env bash
# Makes `prometheus` and `promtool` (Debian's package `prometheus`) available to the integration tests, without root,
# so that `./mvnw -B verify` needs no set-up by hand. The tests run it (observability/PrometheusBinaries) the first
# time they need a binary that is not on the PATH; by hand:
#
#   src/test/scripts/prometheus-binaries.sh target/prometheus
#
# Binaries already on the PATH are used as they are. Otherwise apt downloads the package with private state (its own
# lists and cache under <directory>-apt, no lock on the system's), so signatures and hashes are checked against the
# machine's apt sources and keys, and dpkg-deb unpacks it into <directory>; the tests then run
# <directory>/usr/bin/{prometheus,promtool}. A second run finds them there and returns at once.
set -euo pipefail

DEST=${1:?usage: $0 <directory>}
BIN=$DEST/usr/bin

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  echo "prometheus and promtool: on the PATH ($(dirname "$(command -v prometheus)"))"
  exit 0
fi
if [ -x "$BIN/prometheus" ] && [ -x "$BIN/promtool" ]; then
  echo "prometheus and promtool: $BIN"
  exit 0
fi

cannot() {
  cat >&2 <<MSG

The integration tests run a real Prometheus: 'prometheus' and 'promtool' (2.x) must be on the PATH, or this script
fetches Debian's package 'prometheus' into $DEST. It could not: $1.
Either install the package (as root: apt-get install --no-install-recommends prometheus; its service need not run,
the tests start their own on loopback ports), or put Prometheus 2.x's 'prometheus' and 'promtool' on the PATH,
then run the build again.
MSG
  exit 1
}

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || cannot "'$tool' is missing (not a Debian-like system)"
done

STATE=$DEST-apt
rm -rf "$STATE" "$DEST.partial"
mkdir -p "$STATE/lists/partial" "$STATE/cache/archives/partial" "$DEST.partial"
APT=(apt-get -q
  -o "Dir::State::Lists=$STATE/lists"
  -o "Dir::Cache=$STATE/cache"
  -o Debug::NoLocking=1
  -o "APT::Sandbox::User=$(id -un)")

echo "prometheus and promtool are not on the PATH: fetching Debian's package 'prometheus' into $DEST"
"${APT[@]}" update >"$STATE/update.log" 2>&1 || { cat "$STATE/update.log" >&2; cannot "'apt-get update' failed"; }
# apt-get update only warns when a mirror is unreachable; the download then finds no candidate. Show both.
(cd "$STATE" && "${APT[@]}" download prometheus) >"$STATE/download.log" 2>&1 \
  || { cat "$STATE/update.log" "$STATE/download.log" >&2; cannot "'apt-get download prometheus' failed"; }
dpkg-deb -x "$STATE"/prometheus_*.deb "$DEST.partial"
"$DEST.partial/usr/bin/promtool" --version >/dev/null 2>&1 || cannot "the unpacked promtool does not run"

# Unpacked beside the destination and renamed at the end: an interrupted run leaves no half-unpacked binaries that
# the check above would take for finished ones.
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
rm -rf "$STATE"
echo "prometheus and promtool: $BIN ($("$BIN/promtool" --version 2>&1 | head -1))"
