package io.aksheadroom.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aThresholdComparisonLeavesItsVector() {
        assertEquals(List.of("aks_headroom_node_snat_utilization_ratio"),
                PromQl.operands("aks_headroom_node_snat_utilization_ratio >= 0.9"));
        assertEquals(List.of("m"), PromQl.operands("m >= 0.75 < 0.9"));
        assertEquals(List.of("m"), PromQl.operands("m > bool 1e3"));
    }

    @Test
    void bothSidesOfAVectorComparisonAndEverySetOperandCount() {
        assertEquals(List.of("a", "b", "c", "b"), PromQl.operands(
                "a != on (cluster) group_left () b\nor\nc != on(cluster) group_left b"));
        assertEquals(List.of("free / usable", "pools", "required", "usable"), PromQl.operands(
                "free / usable < 0.2\n and on (cluster, subnet) pools > 0\n unless on (cluster, subnet) required > usable"));
    }

    @Test
    void matchersFunctionsAndStringsAreNotSplit() {
        assertEquals(List.of("x{rule=~\"NET-[0-9]+\", a!=\"b>c\"}"),
                PromQl.operands("x{rule=~\"NET-[0-9]+\", a!=\"b>c\"} > 0"));
        assertEquals(List.of("max by (cluster) (a < 1 or b)"), PromQl.operands("max by (cluster) (a < 1 or b)"));
        assertEquals(List.of("order_total", "android"), PromQl.operands("order_total == android"),
                "operator words inside names are names");
    }

    @Test
    void grafanaVariablesAreFilledIn() {
        Map<String, String> values = Map.of("cluster", "demo", "pool", "nodepool1", "__rate_interval", "1m");
        assertEquals("x{cluster=\"demo\", pool=~\"nodepool1\"}[1m] and y{c=\"demo\"} and $clusters",
                PromQl.substitute("x{cluster=\"$cluster\", pool=~\"${pool}\"}[$__rate_interval] and y{c=\"[[cluster]]\"}"
                        + " and $clusters", values));
    }
}
