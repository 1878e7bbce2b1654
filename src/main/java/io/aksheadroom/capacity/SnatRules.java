package io.aksheadroom.capacity;

/** The arithmetic of SNAT-3, SNAT-4, SNAT-6 and SNAT-8, as small named functions. */
public final class SnatRules {

    /** SNAT-4: beyond this pool size Azure documents no default allocation. */
    public static final int LARGEST_DOCUMENTED_POOL = 1000;
    public static final int MAX_DEFAULT_PORTS = 1024;

    private SnatRules() {
    }

    /**
     * SNAT-4: ports per node under default allocation for a backend pool of {@code poolSize} nodes, or null above
     * 1000 nodes where the behaviour is undocumented.
     */
    public static Integer defaultPortsPerNode(int poolSize, int outboundIps) {
        int perIp;
        if (poolSize <= 50) {
            perIp = 1024;
        } else if (poolSize <= 100) {
            perIp = 512;
        } else if (poolSize <= 200) {
            perIp = 256;
        } else if (poolSize <= 400) {
            perIp = 128;
        } else if (poolSize <= 800) {
            perIp = 64;
        } else if (poolSize <= LARGEST_DOCUMENTED_POOL) {
            perIp = 32;
        } else {
            return null;
        }
        return (int) Math.min((long) perIp * outboundIps, MAX_DEFAULT_PORTS);
    }

    /** SNAT-1: all ports of the outbound IPs together. */
    public static long capacity(int outboundIps) {
        return (long) outboundIps * LoadBalancerProfile.PORTS_PER_IP;
    }

    /** SNAT-3: most nodes (surge included) that {@code portsPerNode} each leaves room for; floor, never rounded up. */
    public static int maxNodes(int outboundIps, int portsPerNode) {
        return (int) Math.min(capacity(outboundIps) / portsPerNode, Integer.MAX_VALUE);
    }

    /** SNAT-6: the largest valid manual allocation for {@code nodes} nodes, a multiple of 8 (0 if none fits). */
    public static int largestValidPorts(int outboundIps, int nodes) {
        if (nodes <= 0) {
            return LoadBalancerProfile.PORTS_PER_IP;
        }
        long ports = capacity(outboundIps) / nodes / 8 * 8;
        return (int) Math.min(ports, LoadBalancerProfile.PORTS_PER_IP);
    }

    /** SNAT-6: the resource provider refuses a manual allocation that over-commits the outbound IPs. */
    public static boolean overCommitted(int nodes, int portsPerNode, int outboundIps) {
        return (long) nodes * portsPerNode > capacity(outboundIps);
    }

    public static int roundUpTo8(long ports) {
        return (int) ((ports + 7) / 8 * 8);
    }

    /**
     * SNAT-8 {@code P*}: peak demand with headroom, at least the floor, a multiple of 8, at most 64,000. Without a
     * demand it keeps the manual allocation (rounded to a valid one) or moves default allocation to 1024.
     */
    public static int recommendedPorts(Integer demand, int allocatedPorts, PlanSettings settings) {
        long ports;
        if (demand != null) {
            ports = Math.max((long) Math.ceil(demand * settings.headroomFactor()), settings.minPortsPerNode());
        } else {
            ports = allocatedPorts > 0 ? allocatedPorts : MAX_DEFAULT_PORTS;
        }
        return Math.min(roundUpTo8(ports), LoadBalancerProfile.PORTS_PER_IP);
    }

    /** SNAT-8 {@code needed}: the fewest outbound IPs giving {@code nodes} nodes {@code portsPerNode} each; at least 1. */
    public static int recommendedOutboundIps(int nodes, int portsPerNode) {
        long needed = (long) nodes * portsPerNode;
        return (int) Math.max(1, (needed + LoadBalancerProfile.PORTS_PER_IP - 1) / LoadBalancerProfile.PORTS_PER_IP);
    }

    /**
     * SNAT-8 {@code N*}: {@code needed}, but never fewer than the cluster has: removing an outbound IP drops the flows
     * on it and changes the egress addresses partners allowlist.
     */
    public static int recommendedOutboundIps(int nodes, int portsPerNode, int currentIps) {
        return Math.max(currentIps, recommendedOutboundIps(nodes, portsPerNode));
    }

    /** SNAT-9 {@code K}: NAT gateway IPs for {@code nodes} nodes using {@code demand} ports each, 1..16. */
    public static int natGatewayIps(int nodes, int demand) {
        long needed = (long) nodes * demand;
        long ips = (needed + NatGatewayProfile.PORTS_PER_IP - 1) / NatGatewayProfile.PORTS_PER_IP;
        return (int) Math.max(1, Math.min(NatGatewayProfile.MAX_IPS, ips));
    }
}
