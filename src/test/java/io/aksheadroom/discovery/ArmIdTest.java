package io.aksheadroom.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

class ArmIdTest {

    @Test
    void aSubnetKnowsItsVnetAndItsType() {
        ArmId subnet = ArmId.parse("/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/"
                + "vnet/subnets/aks");
        assertTrue(subnet.is("microsoft.network/VIRTUALNETWORKS/subnets"));
        assertEquals("aks", subnet.name());
        assertEquals("net", subnet.resourceGroup());
        assertEquals("/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet",
                subnet.parent().id());
        assertEquals(subnet.parent(), subnet.parent().parent(), "a top-level resource is its own parent");
    }

    @Test
    void idsCompareWithoutCase() {
        assertEquals(ArmId.parse("/subscriptions/S/resourcegroups/RG/providers/Microsoft.Network/loadBalancers/k").key(),
                ArmId.parse("/subscriptions/s/resourceGroups/rg/providers/microsoft.network/loadbalancers/K").key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "subscriptions/s/resourceGroups/rg/providers/N/t/n", "/subscriptions/s",
        "/subscriptions/s/resourceGroups/rg/providers/N/t", "/subscriptions//resourceGroups/rg/providers/N/t/n",
        "/subscriptions/s/resourceGroups/rg/providers/N/t/n/child", "/tenants/s/resourceGroups/rg/providers/N/t/n"})
    void whatIsNotAnArmIdIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> ArmId.parse(text));
    }
}
