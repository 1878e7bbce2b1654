package io.aksheadroom.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** NET-1..5: address ranges that must not collide. */
final class NetworkChecks {

    /**
     * NET-1 and NET-5: ranges AKS keeps for itself or that Azure documents as unusable for the service range, the pod
     * range and the cluster's virtual network.
     */
    static final List<Cidr> RESERVED = List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("172.30.0.0/16"),
            Cidr.parse("172.31.0.0/16"), Cidr.parse("192.0.2.0/24"));
    /** NET-1: the service CIDR must be a longer prefix than this. */
    static final int WIDEST_SERVICE_PREFIX_EXCLUSIVE = 12;

    void check(ClusterProfile profile, List<Finding> findings) {
        Cidr services = profile.effectiveServiceCidr();
        boolean carvesPodCidr = profile.pluginMode().carvesPodCidr();
        List<String> clashes = new ArrayList<>();
        for (Map.Entry<String, Cidr> subnet : profile.subnets().entrySet()) {
            if (services.overlaps(subnet.getValue())) {
                clashes.add("subnet " + subnet.getKey() + " (" + subnet.getValue() + ")");
            }
        }
        if (carvesPodCidr && services.overlaps(profile.effectivePodCidr())) {
            clashes.add("podCidr " + profile.effectivePodCidr());
        }
        for (Cidr vnet : profile.vnetAddressSpace()) {
            if (services.overlaps(vnet)) {
                clashes.add("VNet address space " + vnet);
            }
        }
        for (Cidr reserved : RESERVED) {
            if (services.overlaps(reserved)) {
                clashes.add("reserved range " + reserved);
            }
        }
        if (!clashes.isEmpty()) {
            findings.add(new Finding("NET-1", Severity.CRITICAL, Finding.CLUSTER, "serviceCidr " + services
                    + " overlaps " + String.join(", ", clashes) + ": pick a range used nowhere else in your network."));
        }
        if (services.prefix() <= WIDEST_SERVICE_PREFIX_EXCLUSIVE) {
            findings.add(new Finding("NET-1", Severity.CRITICAL, Finding.CLUSTER, "serviceCidr " + services
                    + " is too large: its prefix must be longer than /" + WIDEST_SERVICE_PREFIX_EXCLUSIVE + "."));
        }

        long dns = profile.effectiveDnsServiceIp();
        String dnsProblem = null;
        if (!services.contains(dns)) {
            dnsProblem = "lies outside serviceCidr " + services;
        } else if (dns == services.network()) {
            dnsProblem = "is the network address of serviceCidr " + services;
        } else if (dns == services.network() + 1) {
            dnsProblem = "is the first address of serviceCidr " + services + ", which the kubernetes service takes";
        } else if (dns == services.lastAddress()) {
            dnsProblem = "is the broadcast address of serviceCidr " + services;
        }
        if (dnsProblem != null) {
            findings.add(new Finding("NET-2", Severity.CRITICAL, Finding.CLUSTER, "dnsServiceIP " + Ipv4.format(dns)
                    + " " + dnsProblem + ": use for example " + Ipv4.format(services.network() + 10) + "."));
        }

        if (carvesPodCidr) {
            Cidr pods = profile.effectivePodCidr();
            List<String> podClashes = new ArrayList<>();
            profile.subnets().forEach((id, cidr) -> {
                if (pods.overlaps(cidr)) {
                    podClashes.add("subnet " + id + " (" + cidr + ")");
                }
            });
            for (Cidr vnet : profile.vnetAddressSpace()) {
                if (pods.overlaps(vnet)) {
                    podClashes.add("VNet address space " + vnet);
                }
            }
            if (!podClashes.isEmpty()) {
                findings.add(new Finding("NET-3", Severity.CRITICAL, Finding.CLUSTER, "podCidr " + pods + " overlaps "
                        + String.join(", ", podClashes) + ": pod addresses must not be routable in the VNet."));
            }
        }

        reservedRanges(profile, carvesPodCidr, findings);

        if (!profile.vnetAddressSpace().isEmpty()) {
            profile.subnets().forEach((id, cidr) -> {
                if (profile.vnetAddressSpace().stream().noneMatch(vnet -> vnet.contains(cidr))) {
                    findings.add(new Finding("NET-4", Severity.CRITICAL, id, "Subnet " + id + " (" + cidr
                            + ") lies outside the VNet address space " + profile.vnetAddressSpace() + "."));
                }
            });
        }
    }

    /**
     * NET-5: the pod CIDR (kubenet, overlay) and the subnets must stay out of the reserved ranges too. The VNet's
     * address space is not checked: a common 172.16.0.0/12 VNet contains 172.30/16 and 172.31/16, and whether Azure
     * refuses that is not documented.
     */
    private static void reservedRanges(ClusterProfile profile, boolean carvesPodCidr, List<Finding> findings) {
        if (carvesPodCidr) {
            Cidr pods = profile.effectivePodCidr();
            List<Cidr> hit = reservedOverlapping(pods);
            if (!hit.isEmpty()) {
                findings.add(new Finding("NET-5", Severity.CRITICAL, Finding.CLUSTER, "podCidr " + pods
                        + (profile.podCidr() == null ? " (the AKS default)" : "") + " overlaps the reserved range"
                        + (hit.size() == 1 ? " " : "s ") + joined(hit) + ", which AKS cannot use for pods: pick a "
                        + "private range outside them and outside the VNet, such as 10.244.0.0/16."));
            }
        }
        profile.subnets().forEach((id, cidr) -> {
            List<Cidr> hit = reservedOverlapping(cidr);
            if (!hit.isEmpty()) {
                findings.add(new Finding("NET-5", Severity.CRITICAL, id, "Subnet " + id + " (" + cidr
                        + ") overlaps the reserved range" + (hit.size() == 1 ? " " : "s ") + joined(hit)
                        + ", which AKS cannot use for the cluster's virtual network: move the cluster to a subnet "
                        + "outside them."));
            }
        });
    }

    private static List<Cidr> reservedOverlapping(Cidr range) {
        List<Cidr> hit = new ArrayList<>(1);
        for (Cidr reserved : RESERVED) {
            if (range.overlaps(reserved)) {
                hit.add(reserved);
            }
        }
        return hit;
    }

    private static String joined(List<Cidr> ranges) {
        List<String> texts = new ArrayList<>(ranges.size());
        ranges.forEach(range -> texts.add(range.toString()));
        return String.join(", ", texts);
    }
}
