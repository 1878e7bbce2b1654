package io.aksheadroom.discovery;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The clusterId of each discovered cluster: its name, as long as no other cluster of the fleet has that name. When
 * names collide, every cluster of that name becomes {@code name.resourceGroup}; clusters that still collide (the same
 * resource group name in several subscriptions) get the first 8 characters of their subscription id as well,
 * {@code name.resourceGroup.0b1f6471}. Names compare without case, as Azure compares them.
 */
final class ClusterNames {

    private static final int SUBSCRIPTION_SUFFIX = 8;

    private ClusterNames() {
    }

    /** @return clusterId by {@link ArmId#key()} of every cluster given */
    static Map<String, String> assign(Collection<ArmId> clusters) {
        Map<String, String> names = new HashMap<>();
        for (List<ArmId> sameName : groups(clusters, id -> id.name()).values()) {
            if (sameName.size() == 1) {
                names.put(sameName.get(0).key(), sameName.get(0).name());
                continue;
            }
            for (List<ArmId> sameGroup : groups(sameName, id -> id.name() + "." + id.resourceGroup()).values()) {
                for (ArmId id : sameGroup) {
                    String qualified = id.name() + "." + id.resourceGroup();
                    if (sameGroup.size() > 1) {
                        String subscription = id.subscription();
                        boolean prefixUnique = sameGroup.stream().filter(other -> other.subscription()
                                .regionMatches(true, 0, subscription, 0, SUBSCRIPTION_SUFFIX)).count() == 1;
                        qualified += "." + (prefixUnique && subscription.length() > SUBSCRIPTION_SUFFIX
                                ? subscription.substring(0, SUBSCRIPTION_SUFFIX) : subscription);
                    }
                    names.put(id.key(), qualified);
                }
            }
        }
        return names;
    }

    private static Map<String, List<ArmId>> groups(Collection<ArmId> clusters, Function<ArmId, String> name) {
        Map<String, ArmId> distinct = new java.util.LinkedHashMap<>();
        clusters.forEach(id -> distinct.putIfAbsent(id.key(), id));
        return distinct.values().stream().collect(Collectors.groupingBy(
                id -> name.apply(id).toLowerCase(Locale.ROOT), java.util.LinkedHashMap::new, Collectors.toList()));
    }
}
