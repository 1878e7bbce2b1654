package io.aksheadroom.azuremonitor.model;

import java.util.Locale;

/**
 * An ARM id of a load balancer or NAT gateway, {@code /subscriptions/<sub>/resourceGroups/<rg>/providers/
 * Microsoft.Network/<type>/<name>}. ARM ids are case-insensitive (Azure Monitor answers with
 * {@code resourcegroups}), so equality goes by {@link #key()}.
 *
 * @param id the id as configured, sent to Azure Monitor unchanged
 */
public record AzureResourceId(String id, String subscription, OutboundResourceKind kind) {

    public static AzureResourceId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing resource id");
        }
        String id = text.strip();
        String[] parts = id.split("/", -1);
        // "", subscriptions, <sub>, resourceGroups, <rg>, providers, <namespace>, <type>, <name>
        if (parts.length != 9 || !parts[0].isEmpty() || !"subscriptions".equalsIgnoreCase(parts[1])
                || !"resourceGroups".equalsIgnoreCase(parts[3]) || !"providers".equalsIgnoreCase(parts[5])
                || parts[2].isBlank() || parts[4].isBlank() || parts[8].isBlank()) {
            throw new IllegalArgumentException("'" + id + "' is not /subscriptions/<sub>/resourceGroups/<rg>/"
                    + "providers/Microsoft.Network/<loadBalancers|natGateways>/<name>");
        }
        OutboundResourceKind kind = OutboundResourceKind.ofType(parts[6] + "/" + parts[7]);
        if (kind == null) {
            throw new IllegalArgumentException("'" + id + "' is a " + parts[6] + "/" + parts[7]
                    + ", not a Microsoft.Network/loadBalancers or Microsoft.Network/natGateways");
        }
        return new AzureResourceId(id, parts[2].toLowerCase(Locale.ROOT), kind);
    }

    /** The id in one case, to match what Azure Monitor echoes back against what was configured. */
    public String key() {
        return key(id);
    }

    public static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
