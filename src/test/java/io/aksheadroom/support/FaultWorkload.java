package io.aksheadroom.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The input of the fault suite: clusters of three kinds whose records, sent step by step, make alerts fire, resolve
 * and fire again, change plans through node events and samples, update and delete profiles. Phase one is every
 * cluster's first profile; phase two (the stream a fault strikes) is everything after, interleaved across clusters.
 *
 * <p>Records of one cluster within one topic are in order, as Kafka keeps them; across topics the consumer gives no
 * order, so the workload is built so that no alert episode and no final plan depends on how the three topics
 * interleave ({@code FaultWorkloadTest} checks that through the domain {@code Fleet} directly). That is what lets a
 * test compare a faulty run against one clean run of the same input.
 */
public final class FaultWorkload {

    public static final String PROFILES = "aks.cluster-profiles";
    public static final String NODE_EVENTS = "aks.node-events";
    public static final String LB_METRICS = "aks.lb-metrics";

    /** Sample steps per cluster; 20 s of event time apart, so a run spans minutes, far below any resend interval. */
    private static final int STEPS = 10;
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One record to send. {@code value} null is a tombstone. */
    public record Input(String topic, String key, String value) {
    }

    /** What a cluster goes through. */
    enum Kind {
        /** Manual ports; samples make SnatPortsHigh fire, resolve and fire again, connections fail and recover. */
        SAMPLED,
        /** Default ports, autoscaling; node events only: the live node count changes the plan. */
        NODES,
        /** A plan alert from its profile only; a later profile fixes it, or a tombstone deletes the cluster. */
        PROFILES
    }

    private final List<Input> phaseOne;
    private final List<List<Input>> steps;
    private final List<String> clusters;

    private FaultWorkload(List<Input> phaseOne, List<List<Input>> steps, List<String> clusters) {
        this.phaseOne = List.copyOf(phaseOne);
        this.steps = steps.stream().map(List::copyOf).toList();
        this.clusters = List.copyOf(clusters);
    }

    /**
     * @param prefix names the clusters, so runs sharing a broker never share a cluster
     * @param clusters how many; kinds take turns
     * @param t0 event time of the first event; keep it before now so record and event time do not cross
     */
    public static FaultWorkload of(String prefix, int clusters, Instant t0) {
        List<Input> one = new ArrayList<>();
        List<List<List<Input>>> stepsByCluster = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < clusters; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            Kind kind = Kind.values()[i % Kind.values().length];
            List<List<Input>> steps = new ArrayList<>();
            for (int s = 0; s <= STEPS + 1; s++) {
                steps.add(new ArrayList<>());
            }
            switch (kind) {
                case SAMPLED -> sampled(id, t0, one, steps);
                case NODES -> nodes(id, t0, one, steps);
                case PROFILES -> profiles(id, i, one, steps);
            }
            stepsByCluster.add(steps);
        }
        List<List<Input>> two = new ArrayList<>();
        for (int s = 0; s <= STEPS + 1; s++) {
            List<Input> step = new ArrayList<>();
            for (List<List<Input>> steps : stepsByCluster) {
                step.addAll(steps.get(s));
            }
            two.add(step);
        }
        return new FaultWorkload(one, two, ids);
    }

    private static void sampled(String id, Instant t0, List<Input> one, List<List<Input>> steps) {
        one.add(new Input(PROFILES, id, Profiles.vector("manual-2400-floor", id).toString()));
        List<String> nodes = List.of("n0", "n1", "n2", "n3");
        steps.get(0).add(new Input(NODE_EVENTS, id, inventory(id, at(t0, 0), nodes)));
        for (int s = 1; s <= STEPS; s++) {
            String at = at(t0, s);
            // n0: high for 4 samples (fires at the 3rd), low for 2 (resolves), high again to the end (fires again).
            long n0 = s <= 4 || s >= 7 ? 2300 : 100;
            // n1: connections fail for two samples, then recover; later fail once more and recover (a whole episode
            // late in the stream, where a fault test's service is down).
            long failed = s == 2 || s == 3 || s == 8 ? 5 : 0;
            steps.get(s).add(new Input(LB_METRICS, id, Profiles.sample(id, at, ip(0), 2400, n0, 0)));
            steps.get(s).add(new Input(LB_METRICS, id, Profiles.sample(id, at, ip(1), 2400, 500, failed)));
            steps.get(s).add(new Input(LB_METRICS, id, Profiles.sample(id, at, ip(2), 2400, 600, 0)));
        }
        steps.get(STEPS + 1).add(new Input(NODE_EVENTS, id, nodeRemoved(id, at(t0, STEPS + 1), "n3", ip(3))));
    }

    private static void nodes(String id, Instant t0, List<Input> one, List<List<Input>> steps) {
        one.add(new Input(PROFILES, id, Profiles.vector("default-tier-drop-on-scale", id).toString()));
        for (int n = 0; n < 6; n++) {
            steps.get(n).add(new Input(NODE_EVENTS, id,
                    Profiles.nodeAdded(id, at(t0, n), "n" + n, "nodepool1", ip(n))));
        }
        steps.get(STEPS).add(new Input(NODE_EVENTS, id, nodeRemoved(id, at(t0, STEPS), "n5", ip(5))));
    }

    private static void profiles(String id, int index, List<Input> one, List<List<Input>> steps) {
        ObjectNode broken = Profiles.vector("manual-surge-overflows", id);
        one.add(new Input(PROFILES, id, broken.toString()));
        int step = 2 + index % (STEPS - 2);
        if (index % 2 == 0) {
            ObjectNode fixed = Profiles.vector("manual-surge-overflows", id);
            Profiles.loadBalancer(fixed).with("managedOutboundIPs").put("count", 2);
            steps.get(step).add(new Input(PROFILES, id, fixed.toString()));
        } else {
            steps.get(step).add(new Input(PROFILES, id, null));
        }
    }

    public List<Input> phaseOne() {
        return phaseOne;
    }

    /** Phase two step by step: step {@code s} holds every cluster's records of event time {@code t0 + s * 20 s}. */
    public List<List<Input>> steps() {
        return steps;
    }

    /**
     * The step after which every SAMPLED cluster has a firing SnatPortsHigh: from the next one on, its episode
     * resolves (step 5) and a second one fires (step 9), connections recover, profiles are fixed and deleted.
     */
    public static final int FIRST_EPISODE_STEP = 3;

    public List<Input> phaseTwo() {
        return steps.stream().flatMap(List::stream).toList();
    }

    public List<Input> all() {
        List<Input> all = new ArrayList<>(phaseOne);
        all.addAll(phaseTwo());
        return Collections.unmodifiableList(all);
    }

    /** Clusters that are never deleted, so they must be owned by some instance at all times. */
    public List<String> survivors() {
        List<String> deleted = phaseTwo().stream().filter(input -> input.value() == null).map(Input::key).toList();
        return clusters.stream().filter(id -> !deleted.contains(id)).toList();
    }

    public List<String> clusters() {
        return clusters;
    }

    /** The same records with their timestamps as the broker assigned them (profiles are dated by record time). */
    public record Sent(Input input, long timestamp) {
    }

    /** Mixes the inputs' topics by {@code pick} while keeping each topic's order: one way a consumer may see them. */
    public static List<Sent> interleaved(List<Sent> sent, Function<List<String>, String> pick) {
        List<List<Sent>> byTopic = new ArrayList<>();
        List<String> topics = List.of(PROFILES, NODE_EVENTS, LB_METRICS);
        for (String topic : topics) {
            byTopic.add(new ArrayList<>(sent.stream().filter(s -> s.input().topic().equals(topic)).toList()));
        }
        List<Sent> out = new ArrayList<>();
        while (out.size() < sent.size()) {
            List<String> open = topics.stream().filter(t -> !byTopic.get(topics.indexOf(t)).isEmpty()).toList();
            out.add(byTopic.get(topics.indexOf(pick.apply(open))).remove(0));
        }
        return out;
    }

    static String at(Instant t0, int step) {
        return t0.plus(STEP.multipliedBy(step)).toString();
    }

    private static String ip(int node) {
        return "10.240.0." + (4 + node);
    }

    private static String inventory(String id, String at, List<String> nodes) {
        ObjectNode event = MAPPER.createObjectNode().put("clusterId", id).put("type", "NodeInventory").put("at", at);
        for (int n = 0; n < nodes.size(); n++) {
            event.withArray("nodes").addObject().put("name", nodes.get(n)).put("pool", "nodepool1").put("ip", ip(n))
                    .put("maxPods", 30);
        }
        return event.toString();
    }

    private static String nodeRemoved(String id, String at, String name, String ip) {
        return Profiles.nodeAdded(id, at, name, "nodepool1", ip).replace("\"NodeAdded\"", "\"NodeRemoved\"");
    }

    /** Whether a record is one of this workload's (its key names one of the clusters). */
    public Predicate<String> owns() {
        return key -> key != null && clusters.contains(key);
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
