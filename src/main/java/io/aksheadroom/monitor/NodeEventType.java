package io.aksheadroom.monitor;

/** The kinds of {@code aks.node-events} record. */
public enum NodeEventType {
    NODE_ADDED("NodeAdded"), NODE_REMOVED("NodeRemoved"), NODE_INVENTORY("NodeInventory");

    private final String wireName;

    NodeEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static NodeEventType fromWire(String value) {
        for (NodeEventType type : values()) {
            if (type.wireName.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of NodeAdded, NodeRemoved, NodeInventory");
    }
}
