package io.aksheadroom.monitor;

import io.aksheadroom.capacity.ClusterProfile;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link ClusterMonitor} keeps that its inputs built, as plain values: what a state snapshot carries so
 * that a new owner restores the cluster instead of replaying the records that built it. The plan is left out: it is
 * the planner's answer to the profile, the live counts and the observed demand, all of which are here.
 *
 * @param nodes the node inventory by name
 * @param nodeByIp which node's name each backend IP maps to (the last node event naming the IP wins)
 * @param poolCounts nodes per pool as node events left them; a pool counted down to zero stays, at zero
 * @param inventorySeen whether a full inventory came: pools it did not list then have no live nodes
 * @param gateways NAT gateway resource id to its newest minute taken
 * @param demand the demand window's minutes, oldest first
 * @param firing the alert book's firing alerts
 * @param unconfirmed fingerprints among {@code firing} kept on the alerts topic's word only, since a settle
 */
public record ClusterState(String clusterId, ClusterProfile profile, List<NodeInfo> nodes,
        Map<String, String> nodeByIp, Map<String, Integer> poolCounts, boolean inventorySeen,
        List<BackendState> backends, Map<String, Instant> gateways, List<DemandMinute> demand, List<Alert> firing,
        List<String> unconfirmed, Instant lastEventAt, Instant newestSampleAt) {

    public ClusterState {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(profile, "profile");
        nodes = List.copyOf(nodes);
        nodeByIp = Map.copyOf(nodeByIp);
        poolCounts = Map.copyOf(poolCounts);
        backends = List.copyOf(backends);
        gateways = Map.copyOf(gateways);
        demand = List.copyOf(demand);
        firing = List.copyOf(firing);
        unconfirmed = List.copyOf(unconfirmed);
    }

    /**
     * One load-balancer backend and protocol: its newest sample and how many samples in a row its use stayed at or
     * above each utilization level.
     */
    public record BackendState(String subject, Instant at, long allocated, long used, long failed, int warningStreak,
            int criticalStreak) {

        public BackendState {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(at, "at");
            int slash = subject.lastIndexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException("a backend subject is ip/protocol, got " + subject);
            }
            Protocol.fromWire(subject.substring(slash + 1));
        }

        /** The backend's IP, the part of {@link #subject} before the protocol. */
        public String ip() {
            return subject.substring(0, subject.lastIndexOf('/'));
        }

        public Protocol protocol() {
            return Protocol.fromWire(subject.substring(subject.lastIndexOf('/') + 1));
        }
    }

    /** One minute of the demand window: the peak used ports of any backend, and the failed connections summed. */
    public record DemandMinute(long epochMinute, long peakUsed, long failed) {
    }
}
