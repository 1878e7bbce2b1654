package io.aksheadroom.capacity;

import static io.aksheadroom.support.ProfileBuilder.POD_SUBNET;
import static io.aksheadroom.support.ProfileBuilder.SUBNET;
import static io.aksheadroom.support.ProfileBuilder.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.aksheadroom.support.ProfileBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One or more table rows per rule the vectors do not already pin down. */
class CapacityPlannerTest {

    private static Finding finding(Plan plan, String rule) {
        return plan.findings().stream().filter(f -> f.rule().equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " in " + plan.findings()));
    }

    private static SubnetFigures subnet(Plan plan, String id) {
        return plan.subnets().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void snat1OutboundIpsFromOwnPrefixesCountEveryAddress() {
        Plan plan = cluster().loadBalancer(new LoadBalancerProfile(null, null, List.of(30, 31), 4000, null))
                .pool("p", 10, 30).plan();
        assertEquals(6, plan.snat().outboundIps());
        assertEquals(96, plan.snat().maxNodes());
        assertTrue(plan.actions().isEmpty(), "nothing to change: " + plan.actions());
    }

    @Test
    void snat1NoIpsNamedMeansTheSingleAksDefault() {
        Plan plan = cluster().loadBalancer(LoadBalancerProfile.AKS_DEFAULT).pool("p", 3, 30).plan();
        assertEquals(1, plan.snat().outboundIps());
    }

    @Test
    void snat2PortsNotAMultipleOfEightAreCritical() {
        Finding finding = finding(cluster().managedIps(1, 1001).pool("p", 3, 30).plan(), "SNAT-2");
        assertEquals(Severity.CRITICAL, finding.severity());
        assertTrue(finding.message().contains("1,000 or 1,008"), finding.message());
    }

    @Test
    void snat4BeyondAThousandNodesIsNullAndAFinding() {
        Plan plan = cluster().subnet("10.0.0.0/8").pool("a", 600, 10).pool("b", 600, 10).plan();
        assertNull(plan.snat().portsPerNode());
        assertNull(plan.snat().portsPerNodeAtPlannedNodes());
        assertTrue(plan.findings().stream().anyMatch(f -> f.rule().equals("SNAT-4") && f.severity() == Severity.WARNING));
    }

    @Test
    void snat5FiftyNodesPlusOneSurgeIsAPoolOfFiftyOne() {
        Plan plan = cluster().pool("p", 50, 30, "1").plan();
        assertEquals(51, plan.plannedNodes());
        assertEquals(1024, plan.snat().portsPerNode());
        assertEquals(512, plan.snat().portsPerNodeAtPlannedNodes());
        assertTrue(finding(plan, "SNAT-5").message().contains("1,024 to 512"));
    }

    @Test
    void snat5NoTierDropNoWarning() {
        assertFalse(cluster().pool("p", 48, 30, "1").plan().hasFinding("SNAT-5"));
        assertFalse(cluster().pool("p", 45, 30).plan().hasFinding("SNAT-5"), "45 and their default 10% surge are 50");
        assertTrue(cluster().pool("p", 46, 30).plan().hasFinding("SNAT-5"), "46 and their default 10% surge are 51");
    }

    @Test
    void snat6MessageStatesTheShortfallAndBothFixes() {
        Plan plan = cluster().managedIps(1, 1280).pool("p", 55, 30).plan();
        Finding finding = finding(plan, "SNAT-6");
        assertEquals(Severity.CRITICAL, finding.severity());
        assertTrue(finding.message().contains("Total planned nodes 61 need 78,080 ports"), finding.message());
        assertTrue(finding.message().contains("Add 1 IP or lower ports to 1,048"), finding.message());
    }

    @ParameterizedTest(name = "used {0} of {1}: {2}")
    @CsvSource({"700, 1024, ", "768, 1024, WARNING", "922, 1024, CRITICAL", "1024, 1024, CRITICAL"})
    void snat7UtilizationLevels(int used, int ports, Severity expected) {
        Plan plan = cluster().managedIps(1, ports).pool("p", 10, 30).observed(new Observed(used, 0L, null)).plan();
        if (expected == null) {
            assertFalse(plan.hasFinding("SNAT-7"));
        } else {
            assertEquals(expected, finding(plan, "SNAT-7").severity());
            assertTrue(plan.hasFinding("SNAT-11"), "busy ports with a 30-minute idle timeout suggest lowering it");
        }
    }

    @Test
    void snat7AnyFailedConnectionIsExhaustion() {
        Plan plan = cluster().pool("p", 10, 30).observed(new Observed(10, 3L, null)).plan();
        assertEquals(Severity.CRITICAL, finding(plan, "SNAT-7").severity());
    }

    @Test
    void snat8BeyondAHundredIpsRecommendsANatGateway() {
        Plan plan = cluster().subnet("10.0.0.0/8").managedIps(100, 8000).pool("p", 900, 10)
                .observed(new Observed(20000, 0L, null)).plan();
        assertEquals(30000, plan.snat().recommendedPortsPerNode());
        assertTrue(plan.snat().recommendedOutboundIps() > 100);
        assertTrue(plan.snat().natGatewayRecommended());
        assertFalse(plan.snat().recommendedOutboundIpsAchievable());
        assertTrue(plan.actions().get(0).contains("--outbound-type userAssignedNATGateway"), plan.actions().toString());
    }

    @Test
    void snat8OwnPublicIpsAreAddedToNotReplaced() {
        Plan plan = cluster().loadBalancer(new LoadBalancerProfile(null, 1, List.of(), 0, null)).pool("p", 60, 30)
                .observed(new Observed(1000, 0L, null)).plan();
        assertEquals(2, plan.snat().recommendedOutboundIps());
        String action = plan.actions().get(0);
        assertTrue(action.startsWith("Add 1 public IP to --load-balancer-outbound-ips"), action);
        assertFalse(action.contains("managed-outbound-ip-count"), action);
    }

    @Test
    void snat9NatGatewayHasNoPerNodePortsAndCountsFailures() {
        Plan plan = cluster().natGateway(2).pool("p", 100, 30).observed(new Observed(2000, 5L, null)).plan();
        assertEquals(SnatMode.NAT_GATEWAY, plan.snat().mode());
        assertNull(plan.snat().portsPerNode());
        assertNull(plan.snat().maxNodes());
        assertEquals(129_024L, plan.snat().capacityPorts());
        assertEquals(4, plan.snat().recommendedOutboundIps());
        assertTrue(plan.findings().stream().filter(f -> f.rule().equals("SNAT-9")).count() >= 2);
        assertTrue(plan.actions().get(0).endsWith("--nat-gateway-managed-outbound-ip-count 4"));
    }

    @ParameterizedTest
    @CsvSource({"userDefinedRouting", "none", "block"})
    void snat9OtherOutboundTypesAreNotApplicableNeverZero(String type) {
        Plan plan = cluster().outbound(OutboundType.fromWire(type)).pool("p", 3, 30).plan();
        assertEquals(SnatMode.NOT_APPLICABLE, plan.snat().mode());
        assertNull(plan.snat().outboundIps());
        assertNull(plan.snat().portsPerNode());
        assertNull(plan.snat().recommendedOutboundIps());
    }

    @Test
    void snat10ObservedAllocationDifferentFromTheProfileIsDrift() {
        Plan plan = cluster().managedIps(2, 4000).pool("p", 10, 30)
                .observed(new Observed(null, null, null, 1024, null)).plan();
        assertEquals(Severity.WARNING, finding(plan, "SNAT-10").severity());
        assertFalse(cluster().managedIps(2, 4000).pool("p", 10, 30)
                .observed(new Observed(null, null, null, 4000, null)).plan().hasFinding("SNAT-10"));
    }

    @Test
    void snat11IdleTimeoutOutsideTheApiRangeIsCritical() {
        Plan plan = cluster().loadBalancer(new LoadBalancerProfile(1, null, List.of(), 0, 121)).pool("p", 3, 30).plan();
        assertEquals(Severity.CRITICAL, finding(plan, "SNAT-11").severity());
    }

    @Test
    void ip2And4KubenetNodesTakeOneAddressEach() {
        Plan plan = cluster().kubenet("10.244.0.0/16").subnet("10.240.0.0/24").consumers(4).pool("p", 20, 110).plan();
        SubnetFigures figures = subnet(plan, SUBNET);
        assertEquals(24, figures.used());
        assertEquals(20 + 2 + 4, figures.required(), "20 nodes, their default 10% surge and 4 other addresses");
        assertEquals(4, figures.consumers());
    }

    @Test
    void ip6KubenetRouteTableHoldsFourHundredNodes() {
        Plan plan = cluster().kubenet("10.0.0.0/8").services("172.16.0.0/16", "172.16.0.10").subnet("10.240.0.0/16")
                .autoscaledPool("p", 300, 400, 30, "1").plan();
        assertEquals(401, plan.plannedNodes());
        assertTrue(finding(plan, "IP-6").message().contains("400"), plan.findings().toString());
        assertTrue(plan.hasFinding("IP-10"));
        assertFalse(plan.podCidr().fits());
    }

    @Test
    void ip7OverlayPodCidrMessageMatchesAzures() {
        Plan plan = cluster().overlay("192.168.0.0/22").subnet("10.240.0.0/24").autoscaledPool("p", 3, 4, 250, "1").plan();
        Finding finding = finding(plan, "IP-7");
        assertTrue(finding.message().contains("pre-allocated IPs 1,280 exceed the 1,024 available"), finding.message());
        assertEquals(4, plan.podCidr().nodeCapacity());
    }

    @Test
    void ip8StaticBlocksReserveWholeSlash28s() {
        Plan plan = cluster().podSubnet("10.241.0.0/16").podSubnetPool("p", 10, 30, PodIpAllocation.STATIC_BLOCK).plan();
        SubnetFigures pods = subnet(plan, POD_SUBNET);
        assertEquals(10 * 32, pods.used());
        assertEquals(11 * 32, pods.required());
    }

    @ParameterizedTest(name = "{0} pods -> {1} addresses")
    @CsvSource({"0, 16", "7, 16", "8, 16", "9, 32", "24, 32", "25, 48", "110, 112"})
    void ip8DynamicBatchesFollowThePodCount(int pods, long perNode) {
        Plan plan = cluster().podSubnet("10.241.0.0/16").podSubnetPool("p", 10, 110, PodIpAllocation.DYNAMIC_INDIVIDUAL)
                .observed(new Observed(null, null, pods)).plan();
        assertEquals(10 * perNode, subnet(plan, POD_SUBNET).used());
        assertEquals(11 * 112, subnet(plan, POD_SUBNET).required());
    }

    @Test
    void ip9DefaultMaxPodsDependOnTheMode() {
        AgentPool noMaxPods = new AgentPool("p", 2, null, false, null, null, null, SUBNET, null, null, null);
        assertEquals(31, cluster().pool(noMaxPods).plan().pools().get(0).perNodeIps());
        assertEquals(250, cluster().overlay("192.168.0.0/16").pool(noMaxPods).plan().pools().get(0).maxPods());
        assertEquals(110, cluster().kubenet("10.244.0.0/16").pool(noMaxPods).plan().pools().get(0).maxPods());
        assertEquals(250, cluster().byoCni().pool(noMaxPods).plan().pools().get(0).maxPods());
    }

    @ParameterizedTest(name = "{0} / {1}: {2}")
    @CsvSource({
        "10.240.0.0/16, 10.240.0.10, NET-1",
        "172.30.0.0/16, 172.30.0.10, NET-1",
        "10.0.0.0/12, 10.0.0.10, NET-1",
        "10.0.0.0/16, 10.0.0.0, NET-2",
        "10.0.0.0/16, 10.0.0.1, NET-2",
        "10.0.0.0/16, 10.0.255.255, NET-2",
        "10.0.0.0/16, 10.1.0.10, NET-2"})
    void net1And2ServiceRangeAndDnsAddress(String services, String dns, String rule) {
        Plan plan = cluster().services(services, dns).pool("p", 3, 30).plan();
        assertTrue(plan.hasFinding(rule), plan.findings().toString());
    }

    @Test
    void net3PodCidrMustNotOverlapTheVnet() {
        Plan plan = cluster().kubenet("10.240.0.0/16").subnet("10.240.0.0/24").pool("p", 3, 30).plan();
        assertTrue(plan.hasFinding("NET-3"));
    }

    @Test
    void net4SubnetsLieInsideTheVnet() {
        assertTrue(cluster().vnet("10.1.0.0/16").pool("p", 3, 30).plan().hasFinding("NET-4"));
        assertFalse(cluster().vnet("10.240.0.0/12").pool("p", 3, 30).plan().hasFinding("NET-4"));
    }

    @Test
    void liveNodeCountsOverrideTheProfileCount() {
        ClusterProfile live = cluster().autoscaledPool("p", 3, 60, 30, "1").build().withLiveNodes(Map.of("p", 40));
        Plan plan = new CapacityPlanner().plan(live);
        assertEquals(40, plan.currentNodes());
        assertEquals(61, plan.plannedNodes());
    }

    @Test
    void findingsComeMostUrgentFirst() {
        Plan plan = cluster().managedIps(1, 21000).pool("p", 3, 30).plan();
        for (int i = 1; i < plan.findings().size(); i++) {
            assertTrue(plan.findings().get(i - 1).severity().compareTo(plan.findings().get(i).severity()) >= 0);
        }
    }

    @Test
    void surge1AnAbsentMaxSurgeIsTheApiDefaultAndTheAnswerSaysSo() {
        Plan plan = cluster().pool("p", 50, 30).plan();
        assertEquals(55, plan.plannedNodes(), "10% of 50");
        Finding finding = finding(plan, "SURGE-1");
        assertEquals(Severity.INFO, finding.severity());
        assertEquals("p", finding.subject());
        assertTrue(finding.message().contains("may still surge by 1"), finding.message());
        assertTrue(finding.message().contains("az aks nodepool update --resource-group rg --cluster-name c1 --name p "
                + "--max-surge 10%"), finding.message());
        assertFalse(cluster().pool("p", 50, 30, "10%").plan().hasFinding("SURGE-1"), "a stated surge is no assumption");
    }

    @ParameterizedTest(name = "{0} nodes, maxSurge {1}: {2} planned")
    @CsvSource({"3, 5, 6", "3, 3, 6", "3, 0, 3", "0, 5, 0", "10, 1%, 11", "11, 10%, 13", "7, 100%, 14"})
    void surgeAtCapsACountAtThePoolAndRoundsAPercentageUp(int count, String surge, int planned) {
        assertEquals(planned, cluster().pool("p", count, 30, surge).plan().plannedNodes());
    }

    @ParameterizedTest(name = "count {0}, autoscaling {1}, minCount {2}, maxPods {3}: IP-11 {4}")
    @CsvSource({
        "2, false, , 10, true", "3, false, , 10, false", "1, false, , 29, true", "1, false, , 30, false",
        "0, false, , 10, false", "5, true, 2, 10, true", "5, true, 3, 10, false", "5, true, 0, 10, false",
        "2, false, , 250, false"})
    void ip11MaxPodsUnderThirtyNeedsRoomForThirtyPods(int count, boolean autoscaling, Integer minCount, int maxPods,
            boolean expected) {
        AgentPool pool = new AgentPool("p", count, maxPods, autoscaling, minCount, autoscaling ? 10 : null, null,
                SUBNET, null, null, null);
        Plan plan = cluster().pool(pool).plan();
        assertEquals(expected, plan.hasFinding("IP-11"), plan.findings().toString());
        if (expected) {
            Finding finding = finding(plan, "IP-11");
            assertEquals(Severity.CRITICAL, finding.severity());
            assertEquals("p", finding.subject());
        }
    }

    @Test
    void ip11MessageSaysWhatWouldGiveThirtyPods() {
        Finding finding = finding(cluster().pool("p", 2, 10).plan(), "IP-11");
        assertTrue(finding.message().contains("room for 20 pods (2 nodes x maxPods 10)"), finding.message());
        assertTrue(finding.message().contains("Use 3 nodes or maxPods 15"), finding.message());
    }

    @Test
    void net5ASubnetInAReservedRangeIsCritical() {
        Plan plan = cluster().subnet("172.31.4.0/22").vnet("172.16.0.0/12").pool("p", 3, 30).plan();
        Finding finding = finding(plan, "NET-5");
        assertEquals(Severity.CRITICAL, finding.severity());
        assertEquals(SUBNET, finding.subject());
        assertTrue(finding.message().contains("172.31.0.0/16"), finding.message());
        assertEquals(1, plan.findings().stream().filter(f -> f.rule().equals("NET-5")).count(),
                "the VNet address space is not checked: " + plan.findings());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"169.254.0.0/16", "172.30.128.0/17", "192.0.0.0/16", "172.0.0.0/8"})
    void net5APodCidrOverlappingAReservedRangeIsCritical(String podCidr) {
        Finding kubenet = finding(cluster().kubenet(podCidr).pool("p", 3, 30).plan(), "NET-5");
        assertEquals(Finding.CLUSTER, kubenet.subject());
        assertTrue(cluster().overlay(podCidr).pool("p", 3, 30).plan().hasFinding("NET-5"));
    }

    @Test
    void net5PodCidrOnlyCountsWhereItIsUsedAndDefaultsToAks() {
        Plan overlayDefault = cluster().overlay(null).pool("p", 3, 30).plan();
        assertFalse(overlayDefault.hasFinding("NET-5"), overlayDefault.findings().toString());
        assertEquals("10.244.0.0/16", overlayDefault.podCidr().cidr());
        ClusterProfile nodeSubnet = new ClusterProfile("c", "c", "rg", NetworkPlugin.AZURE, false,
                Cidr.parse("172.31.0.0/16"), null, null, null, null, null, cluster().pool("p", 3, 30).build().pools(),
                Map.of(SUBNET, Cidr.parse("10.240.0.0/16")), null, null, null);
        assertFalse(new CapacityPlanner().plan(nodeSubnet).hasFinding("NET-5"), "Azure CNI on the node subnet "
                + "carves no pod CIDR");
    }

    @Test
    void snat8NeverFewerOutboundIpsThanTheClusterHas() {
        Plan plan = cluster().managedIps(4, 0).pool("p", 20, 30).plan();
        assertEquals(4, plan.snat().recommendedOutboundIps());
        assertEquals(List.of("az aks update --resource-group rg --name c1 --load-balancer-managed-outbound-ip-count 4 "
                + "--load-balancer-outbound-ports 1024"), plan.actions());
        Plan own = cluster().ownPublicIps(3, 4000).pool("p", 20, 30).plan();
        assertEquals(3, own.snat().recommendedOutboundIps());
        assertTrue(own.actions().isEmpty(), "3 own IPs at 4,000 ports already fit: " + own.actions());
    }

    @Test
    void snat8NoMessageEverNamesMoreThanAHundredIps() {
        Plan plan = cluster().subnet("10.0.0.0/8").managedIps(20, 8000).autoscaledPool("p", 600, 900, 10, "1")
                .observed(new Observed(20000, 0L, null)).plan();
        assertTrue(plan.snat().natGatewayRecommended());
        assertTrue(plan.hasFinding("SNAT-6") && plan.hasFinding("SNAT-12") && plan.hasFinding("SNAT-8"));
        java.util.regex.Pattern ipCount = java.util.regex.Pattern.compile("([\\d,]+) (?:more )?(?:outbound |public )?IPs?\\b");
        List<String> texts = new java.util.ArrayList<>(plan.actions());
        plan.findings().forEach(f -> texts.add(f.message()));
        for (String text : texts) {
            java.util.regex.Matcher matcher = ipCount.matcher(text);
            while (matcher.find()) {
                assertTrue(Integer.parseInt(matcher.group(1).replace(",", "")) <= 100, text);
            }
            assertFalse(text.contains("managed-outbound-ip-count"), text);
        }
    }

    @Test
    void ip5NewAndExistingPodSubnetNodesCountAtTheirPlannedBatches() {
        // 4 nodes at 20 pods hold 32 addresses each now; every node, old or new, may grow to 112 (maxPods 110).
        Plan plan = cluster().podSubnet("10.241.0.0/22").podSubnetPool("p", 4, 110, PodIpAllocation.DYNAMIC_INDIVIDUAL)
                .observed(new Observed(null, null, 20)).plan();
        assertEquals(4, plan.pools().get(0).additionalNodes(), "8 nodes + 1 surge x 112 = 1,008 <= 1,019");
        assertEquals(8, plan.pools().get(0).maxCountCeiling());
    }

    @Test
    void cap1TheSpecsExample() {
        Plan plan = cluster().managedIps(1, 1280).pool("p", 10, 30).plan();
        assertEquals(45, plan.pools().get(0).maxCountCeiling(), "45 + ceil(45 / 10) = 50 nodes x 1,280 = 64,000");
        assertTrue(plan.actions().stream().noneMatch(a -> a.contains("--update-cluster-autoscaler")),
                "a fixed-size pool has no autoscaler to cap: " + plan.actions());
    }

    @Test
    void cap1AnAutoscalerPastItsCeilingIsOfferedTheCeiling() {
        Plan plan = cluster().managedIps(1, 1280).autoscaledPool("p", 10, 60, 30, "10%").plan();
        assertTrue(plan.hasFinding("SNAT-6"));
        assertTrue(plan.actions().contains("Instead of more addresses or IPs, cap pool p's autoscaler at its ceiling "
                + "(maxCount 60, ceiling 45): az aks nodepool update --resource-group rg --cluster-name c1 --name p "
                + "--update-cluster-autoscaler --min-count 0 --max-count 45"), plan.actions().toString());
        Finding warning = plan.findings().stream().filter(f -> f.rule().equals("CAP-1")).findFirst().orElseThrow();
        assertEquals(Severity.WARNING, warning.severity());
        assertEquals("p", warning.subject());
        assertEquals("Pool p may autoscale to maxCount 60, past its ceiling of 45: with the other pools at their "
                + "planned size, the network refuses the scale-out beyond 45 nodes. Hold the autoscaler there: az aks "
                + "nodepool update --resource-group rg --cluster-name c1 --name p --update-cluster-autoscaler "
                + "--min-count 0 --max-count 45", warning.message());
        Plan within = cluster().managedIps(1, 1280).autoscaledPool("p", 10, 45, 30, "10%").plan();
        assertTrue(within.actions().stream().noneMatch(a -> a.contains("--update-cluster-autoscaler")));
        assertFalse(within.hasFinding("CAP-1"), within.findings().toString());
    }

    @Test
    void cap1MinCountFollowsACeilingBelowIt() {
        AgentPool pool = new AgentPool("p", 60, 30, true, 50, 80, MaxSurge.parse("0"), SUBNET, null, null, null);
        Plan plan = cluster().subnet("10.240.0.0/21").pool(pool).plan();
        assertEquals(65, plan.pools().get(0).maxCountCeiling(), "65 x 31 = 2,015 <= 2,043");
        String action = plan.actions().stream().filter(a -> a.contains("--update-cluster-autoscaler")).findFirst()
                .orElseThrow();
        assertTrue(action.endsWith("--min-count 50 --max-count 65"), action);
    }

    @Test
    void cap1IsNullWhenTheOtherPoolsAlreadyBreakABound() {
        Plan plan = cluster().managedIps(1, 1280).pool("a", 60, 30, "0").pool("b", 1, 30, "0").plan();
        assertEquals(49, plan.pools().get(0).maxCountCeiling(), "50 nodes fit 1,280 ports on one IP, b has 1");
        assertNull(plan.pools().get(1).maxCountCeiling(), "a alone needs 76,800 of 64,000 ports");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "kubenet pod CIDR /22 holds 4 nodes, kubenet, 10.244.0.0/22, 3",
        "overlay pod CIDR /20 holds 16 nodes, overlay, 10.244.0.0/20, 15"})
    void cap1FollowsThePodCidr(String name, String plugin, String podCidr, int ceiling) {
        ProfileBuilder builder = plugin.equals("kubenet") ? cluster().kubenet(podCidr) : cluster().overlay(podCidr);
        assertEquals(ceiling, builder.pool("p", 2, 30, "1").plan().pools().get(0).maxCountCeiling());
    }

    @Test
    void cap1OutsideTheLoadBalancerOnlyTheNetworkAndAksLimitsCount() {
        assertEquals(1000, cluster().natGateway(2).pool("p", 3, 30).plan().pools().get(0).maxCountCeiling(),
                "AKS's 1,000 nodes per pool");
        ProfileBuilder full = cluster().byoCni().subnet("10.0.0.0/8").natGateway(16);
        for (char name = 'a'; name <= 'e'; name++) {
            full.pool(String.valueOf(name), 1000, 30, "0");
        }
        assertEquals(1000, full.plan().pools().get(0).maxCountCeiling(), "5 x 1,000 is AKS's 5,000 per cluster");
        full.pool("f", 0, 30, "0");
        assertEquals(0, full.plan().pools().get(5).maxCountCeiling(), "the cluster is full");
        assertNull(full.pool("g", 1, 30, "0").plan().pools().get(5).maxCountCeiling(),
                "the others alone have 5,001 nodes");
    }
}
