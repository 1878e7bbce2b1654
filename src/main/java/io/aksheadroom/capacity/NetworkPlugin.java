package io.aksheadroom.capacity;

/** {@code networkProfile.networkPlugin} as {@code az aks show} prints it. */
public enum NetworkPlugin {
    AZURE("azure"), KUBENET("kubenet"), NONE("none");

    private final String wireName;

    NetworkPlugin(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static NetworkPlugin fromWire(String value) {
        for (NetworkPlugin plugin : values()) {
            if (plugin.wireName.equalsIgnoreCase(value)) {
                return plugin;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of azure, kubenet, none");
    }
}
