package io.aksheadroom.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The naming rule of discovered clusters, case by case; a wrong name splits or merges two clusters' records. */
class ClusterNamesTest {

    static final String SUB_A = "0b1f6471-1bf0-4dda-aec3-111111111111";
    static final String SUB_B = "9c2e7582-2cf1-4eeb-bfd4-222222222222";
    /** Shares SUB_A's first 8 characters. */
    static final String SUB_A_TWIN = "0b1f6471-ffff-4dda-aec3-333333333333";

    static ArmId cluster(String subscription, String resourceGroup, String name) {
        return ArmId.parse(LocalArm.clusterId(subscription, resourceGroup, name));
    }

    static Map<String, String> names(ArmId... clusters) {
        Map<String, String> byName = new TreeMap<>();
        ClusterNames.assign(List.of(clusters)).forEach((key, name) -> byName.put(name, key));
        return byName;
    }

    @Test
    void aUniqueNameIsTheClusterId() {
        assertEquals(List.of("aks-prod", "aks-test"), List.copyOf(names(cluster(SUB_A, "rg", "aks-prod"),
                cluster(SUB_B, "rg", "aks-test")).keySet()));
    }

    @Test
    void namesThatCollideAcrossResourceGroupsTakeTheirResourceGroup() {
        assertEquals(List.of("aks.rg-blue", "aks.rg-green", "other"), List.copyOf(names(cluster(SUB_A, "rg-blue", "aks"),
                cluster(SUB_A, "rg-green", "aks"), cluster(SUB_A, "rg-blue", "other")).keySet()));
    }

    @Test
    void theSameResourceGroupInTwoSubscriptionsTakesAShortSubscriptionSuffix() {
        assertEquals(List.of("aks.rg.0b1f6471", "aks.rg.9c2e7582", "aks.rg2"), List.copyOf(names(
                cluster(SUB_A, "rg", "aks"), cluster(SUB_B, "rg", "aks"), cluster(SUB_B, "rg2", "aks")).keySet()));
    }

    @Test
    void subscriptionsThatShareTheirFirstCharactersAreWrittenOut() {
        assertEquals(List.of("aks.rg." + SUB_A, "aks.rg." + SUB_A_TWIN), List.copyOf(names(cluster(SUB_A, "rg", "aks"),
                cluster(SUB_A_TWIN, "rg", "aks")).keySet()));
    }

    @Test
    void namesCompareWithoutCaseAsAzureDoesAndKeepTheirSpelling() {
        assertEquals(List.of("AKS.RG", "aks.rg2"), List.copyOf(names(cluster(SUB_A, "RG", "AKS"),
                cluster(SUB_A, "rg2", "aks")).keySet()));
    }

    @Test
    void oneClusterListedTwiceIsOneCluster() {
        ArmId cluster = cluster(SUB_A, "rg", "aks");
        ArmId sameInOtherCase = ArmId.parse(cluster.id().toUpperCase(java.util.Locale.ROOT));
        assertEquals(Map.of(cluster.key(), "aks"), ClusterNames.assign(List.of(cluster, sameInOtherCase)));
    }
}
