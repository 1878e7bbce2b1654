package io.aksheadroom.support;

import com.fasterxml.jackson.databind.JsonNode;

import io.aksheadroom.support.CleanRun.AlertKey;
import io.aksheadroom.support.CleanRun.Outputs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A faulty run's outputs checked against a clean run's, as Kafka's system tests and Jepsen check consumers: nothing
 * lost, duplicates only as allowed, the final state per key the same.
 *
 * @param planMismatches clusters whose latest recommendation differs from the clean run's final plan (or exists
 *        where the clean run deleted the cluster, or is missing)
 * @param lost alert records of the clean run that the faulty run never wrote (an episode's firing or its end)
 * @param finalStatusMismatches fingerprints whose latest record says otherwise than the clean run's latest
 * @param repeatedFiring per fingerprint, firing records beyond the clean run's
 * @param repeatedResolved per fingerprint, resolved records beyond the clean run's
 * @param spurious records the clean run has no equal of (an episode that never happened, an end at a wrong start)
 */
public record Verdict(List<String> planMismatches, List<AlertKey> lost, List<String> finalStatusMismatches,
        Map<String, Integer> repeatedFiring, Map<String, Integer> repeatedResolved, List<AlertKey> spurious) {

    public static Verdict of(Outputs expected, Outputs actual) {
        List<String> plans = new ArrayList<>();
        Set<String> clusters = new java.util.TreeSet<>(expected.plans().keySet());
        clusters.addAll(actual.plans().keySet());
        for (String cluster : clusters) {
            JsonNode want = expected.plans().get(cluster);
            JsonNode got = actual.plans().get(cluster);
            if (!Objects.equals(want, got)) {
                plans.add(cluster + ": " + difference("", want, got));
            }
        }
        Map<AlertKey, Long> want = counts(expected.alerts());
        Map<AlertKey, Long> got = counts(actual.alerts());
        List<AlertKey> lost = new ArrayList<>();
        want.forEach((key, count) -> {
            for (long i = got.getOrDefault(key, 0L); i < count; i++) {
                lost.add(key);
            }
        });
        List<AlertKey> spurious = got.keySet().stream().filter(key -> !want.containsKey(key)).toList();
        Map<String, String> wantFinal = finalStatus(expected.alerts());
        Map<String, String> gotFinal = finalStatus(actual.alerts());
        List<String> finals = new ArrayList<>();
        wantFinal.forEach((fingerprint, status) -> {
            if (!status.equals(gotFinal.get(fingerprint))) {
                finals.add(fingerprint + " should end " + status + ", ends " + gotFinal.get(fingerprint));
            }
        });
        return new Verdict(plans, lost, finals, beyond(expected, actual, true), beyond(expected, actual, false),
                spurious);
    }

    /** Every final plan and final alert status as in the clean run, and no alert record lost. */
    public boolean converged() {
        return planMismatches.isEmpty() && lost.isEmpty() && finalStatusMismatches.isEmpty();
    }

    public int maxRepeatedFiring() {
        return repeatedFiring.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public int totalRepeatedFiring() {
        return repeatedFiring.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int totalRepeatedResolved() {
        return repeatedResolved.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
        return "plan mismatches " + planMismatches + "\nlost " + lost + "\nfinal status mismatches "
                + finalStatusMismatches + "\nrepeated firing " + repeatedFiring + "\nrepeated resolved "
                + repeatedResolved + "\nspurious " + spurious;
    }

    private static Map<AlertKey, Long> counts(List<AlertKey> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(key -> key, LinkedHashMap::new, Collectors.counting()));
    }

    private static Map<String, String> finalStatus(List<AlertKey> alerts) {
        Map<String, String> last = new HashMap<>();
        alerts.forEach(key -> last.put(key.fingerprint(), key.status()));
        return last;
    }

    private static Map<String, Integer> beyond(Outputs expected, Outputs actual, boolean firing) {
        Map<String, Integer> want = perFingerprint(expected.alerts(), firing);
        Map<String, Integer> extra = new TreeMap<>();
        perFingerprint(actual.alerts(), firing).forEach((fingerprint, count) -> {
            int more = count - want.getOrDefault(fingerprint, 0);
            if (more > 0) {
                extra.put(fingerprint, more);
            }
        });
        return extra;
    }

    private static Map<String, Integer> perFingerprint(List<AlertKey> alerts, boolean firing) {
        Map<String, Integer> counts = new HashMap<>();
        alerts.stream().filter(key -> key.firing() == firing).forEach(key -> counts.merge(key.fingerprint(), 1,
                Integer::sum));
        return counts;
    }

    /** The first place two JSON trees differ, as a path: enough to see what went wrong without a wall of JSON. */
    private static String difference(String path, JsonNode want, JsonNode got) {
        if (want == null || got == null || want.getNodeType() != got.getNodeType() || !want.isContainerNode()) {
            return (path.isEmpty() ? "the plan" : path) + " should be " + abbreviate(want) + ", is " + abbreviate(got);
        }
        if (want.isArray() && want.size() != got.size()) {
            return path + " should have " + want.size() + " items, has " + got.size() + ": " + abbreviate(got);
        }
        java.util.Iterator<String> names = want.isObject() ? want.fieldNames() : null;
        Set<String> fields = new java.util.TreeSet<>();
        if (names != null) {
            names.forEachRemaining(fields::add);
            got.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                if (!Objects.equals(want.get(field), got.get(field))) {
                    return difference(path + "." + field, want.get(field), got.get(field));
                }
            }
        } else {
            for (int i = 0; i < want.size(); i++) {
                if (!want.get(i).equals(got.get(i))) {
                    return difference(path + "[" + i + "]", want.get(i), got.get(i));
                }
            }
        }
        return path + " differs";
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
