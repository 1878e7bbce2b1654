package io.aksheadroom.monitor;

/** An event for a cluster without a profile: it cannot be planned, so it is dead-lettered rather than guessed at. */
public final class UnknownClusterException extends RuntimeException {

    private final String clusterId;

    public UnknownClusterException(String clusterId) {
        super("unknown cluster '" + clusterId + "': no profile on the cluster-profiles topic");
        this.clusterId = clusterId;
    }

    public String clusterId() {
        return clusterId;
    }
}
