package io.aksheadroom.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * The jq filter docs/gate.md gives for {@code terraform show -json}, run with the real jq on a plan in Terraform's
 * JSON output format (hand-written here: a real plan needs Azure credentials), then through the gate.
 */
class TerraformPlanFilterTest {

    private static final Path FILTER = Path.of("docs", "terraform-plan-to-profile.jq");
    private static final Path PLAN = Path.of("src", "test", "resources", "gate", "terraform-plan.json");
    private static final String SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/"
            + "providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";

    private record Result(int code, String out, String err) {
    }

    private static Result jq(String cluster) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("jq", "--arg", "cluster", cluster, "--argjson", "subnets",
                "{\"" + SUBNET + "\": \"10.240.0.0/22\"}", "-f", FILTER.toString(), PLAN.toString()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out, err);
    }

    @Test
    void thePlansClusterAndItsNodePoolsBecomeTheProfileTheGateRefuses() throws Exception {
        Result profile = jq("aks-prod");
        assertEquals(0, profile.code(), profile.err());
        JsonNode body = new ObjectMapper().readTree(profile.out());
        assertEquals(List.of("system", "user"), body.get("agentPoolProfiles").findValuesAsText("name"),
                "the default pool and the kept node pool, not the deleted one");
        JsonNode user = body.get("agentPoolProfiles").get(1);
        assertEquals(14, user.get("maxCount").asInt());
        assertTrue(user.get("enableAutoScaling").asBoolean());
        assertEquals("10%", user.at("/upgradeSettings/maxSurge").asText());
        assertEquals(4000, body.at("/networkProfile/loadBalancerProfile/allocatedOutboundPorts").asInt());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = CheckCommand.run(List.of("-"), Map.of(), new Properties(),
                new ByteArrayInputStream(profile.out().getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(CheckCommand.CRITICAL, code, table);
        assertTrue(table.contains("critical  SNAT-6"), table);
        assertTrue(table.contains("--name user --update-cluster-autoscaler --min-count 2 --max-count 10"), table);
    }

    @Test
    void aClusterThePlanDoesNotHaveIsAJqError() throws Exception {
        Result missing = jq("aks-other");
        assertNotEquals(0, missing.code());
        assertTrue(missing.err().contains("no azurerm_kubernetes_cluster named aks-other"), missing.err());
    }
}
