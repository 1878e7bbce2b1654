package io.aksheadroom.discovery;

import java.util.Locale;

/**
 * An Azure Resource Manager id, {@code /subscriptions/<sub>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>}
 * with any child resources after it ({@code .../virtualNetworks/<vnet>/subnets/<subnet>}). ARM ids compare
 * case-insensitively, so equality goes by {@link #key()}.
 *
 * @param id the id as Azure wrote it
 * @param type the resource type with its namespace and child types, e.g. {@code Microsoft.Network/virtualNetworks/subnets}
 */
public record ArmId(String id, String subscription, String resourceGroup, String type, String name) {

    public static ArmId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing resource id");
        }
        String id = text.strip();
        String[] parts = id.split("/", -1);
        // "", subscriptions, <sub>, resourceGroups, <rg>, providers, <namespace>, <type>, <name>[, <type>, <name>]...
        if (parts.length < 9 || parts.length % 2 == 0 || !parts[0].isEmpty()
                || !"subscriptions".equalsIgnoreCase(parts[1]) || !"resourceGroups".equalsIgnoreCase(parts[3])
                || !"providers".equalsIgnoreCase(parts[5])) {
            throw new IllegalArgumentException("'" + id + "' is not /subscriptions/<sub>/resourceGroups/<rg>/providers/"
                    + "<namespace>/<type>/<name>");
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                throw new IllegalArgumentException("'" + id + "' has an empty segment");
            }
        }
        StringBuilder type = new StringBuilder(parts[6]);
        for (int i = 7; i < parts.length; i += 2) {
            type.append('/').append(parts[i]);
        }
        return new ArmId(id, parts[2], parts[4], type.toString(), parts[parts.length - 1]);
    }

    /** Whether this is a resource of {@code type} (e.g. {@code Microsoft.Network/virtualNetworks/subnets}). */
    public boolean is(String resourceType) {
        return type.equalsIgnoreCase(resourceType);
    }

    /** The resource this one is a child of (a subnet's VNet); the id itself for a top-level resource. */
    public ArmId parent() {
        int depth = type.split("/").length;
        if (depth <= 2) {
            return this;
        }
        int cut = id.lastIndexOf('/', id.lastIndexOf('/') - 1);
        return parse(id.substring(0, cut));
    }

    /** The id in one case, as ARM compares ids. */
    public String key() {
        return key(id);
    }

    public static String key(String id) {
        return id.strip().toLowerCase(Locale.ROOT);
    }
}
