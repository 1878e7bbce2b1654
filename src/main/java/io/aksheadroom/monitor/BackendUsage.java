package io.aksheadroom.monitor;

import java.util.Objects;

/**
 * One load-balancer backend's newest SNAT sample, for people and metrics.
 *
 * @param subject {@code ip/protocol}
 * @param node the node behind the backend's IP, where node events told us; else null
 */
public record BackendUsage(String subject, long used, long allocated, long failed, NodeInfo node) {

    public BackendUsage {
        Objects.requireNonNull(subject, "subject");
    }

    /** The backend's IP, the part of the subject before the protocol. */
    public String ip() {
        return subject.substring(0, subject.indexOf('/'));
    }

    /** The part of the subject after the IP: a protocol's constant name when it is one, so a scrape allocates none. */
    public String protocol() {
        int from = subject.indexOf('/') + 1;
        for (Protocol protocol : Protocol.values()) {
            String name = protocol.name();
            if (subject.length() - from == name.length() && subject.startsWith(name, from)) {
                return name;
            }
        }
        return subject.substring(from);
    }

    /** Used over allocated ports; only meaningful when ports are allocated. */
    public double utilization() {
        return (double) used / allocated;
    }
}
