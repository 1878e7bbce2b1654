package io.aksheadroom.capacity;

/** {@code networkProfile.outboundType}. */
public enum OutboundType {
    LOAD_BALANCER("loadBalancer"),
    MANAGED_NAT_GATEWAY("managedNATGateway"),
    MANAGED_NAT_GATEWAY_V2("managedNATGatewayV2"),
    USER_ASSIGNED_NAT_GATEWAY("userAssignedNATGateway"),
    USER_DEFINED_ROUTING("userDefinedRouting"),
    NONE("none"),
    BLOCK("block");

    private final String wireName;

    OutboundType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isNatGateway() {
        return this == MANAGED_NAT_GATEWAY || this == MANAGED_NAT_GATEWAY_V2 || this == USER_ASSIGNED_NAT_GATEWAY;
    }

    public static OutboundType fromWire(String value) {
        for (OutboundType type : values()) {
            if (type.wireName.equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of loadBalancer, managedNATGateway, "
                + "managedNATGatewayV2, userAssignedNATGateway, userDefinedRouting, none, block");
    }
}
