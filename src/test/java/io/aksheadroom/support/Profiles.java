package io.aksheadroom.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Profiles for pipeline tests, taken from the public vectors and changed as a test needs. */
public final class Profiles {

    private Profiles() {
    }

    /** A deep copy of a vector's profile, with {@code clusterId} set. */
    public static ObjectNode vector(String name, String clusterId) {
        ObjectNode profile = (ObjectNode) PlanVectors.named(name).get("profile").deepCopy();
        profile.put("clusterId", clusterId);
        return profile;
    }

    public static ObjectNode pool(ObjectNode profile) {
        return (ObjectNode) profile.withArray("agentPoolProfiles").get(0);
    }

    public static ObjectNode loadBalancer(ObjectNode profile) {
        return (ObjectNode) profile.with("networkProfile").with("loadBalancerProfile");
    }

    public static String sample(String clusterId, String at, String ip, long allocated, long used, long failed) {
        return "{\"clusterId\":\"" + clusterId + "\",\"at\":\"" + at + "\",\"backendIp\":\"" + ip
                + "\",\"protocol\":\"TCP\",\"allocatedSnatPorts\":" + allocated + ",\"usedSnatPorts\":" + used
                + ",\"failedConnections\":" + failed + "}";
    }

    public static String nodeAdded(String clusterId, String at, String name, String pool, String ip) {
        return "{\"clusterId\":\"" + clusterId + "\",\"type\":\"NodeAdded\",\"at\":\"" + at + "\",\"node\":{\"name\":\""
                + name + "\",\"pool\":\"" + pool + "\",\"ip\":\"" + ip + "\",\"maxPods\":30}}";
    }
}
