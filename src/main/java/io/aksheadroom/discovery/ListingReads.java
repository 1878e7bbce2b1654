package io.aksheadroom.discovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.aksheadroom.azure.CallOutcome;
import io.aksheadroom.discovery.AzureResourceManager.LoadBalancer;
import io.aksheadroom.discovery.AzureResourceManager.VirtualNetwork;

/**
 * The network reads of one listing: each distinct VNet, resource group, prefix, load balancer and NAT gateway list is
 * read once however many pools and clusters use it (also a failed read: it is not tried again within the listing),
 * and no read goes out for a subscription that Resource Manager says has too few reads left.
 */
final class ListingReads implements ProfileAssembly.Network {

    private final AzureResourceManager arm;
    private final int minRemainingReads;
    private final Map<String, CompletableFuture<Object>> reads = new ConcurrentHashMap<>();

    ListingReads(AzureResourceManager arm, int minRemainingReads) {
        this.arm = arm;
        this.minRemainingReads = minRemainingReads;
    }

    @Override
    public VirtualNetwork virtualNetwork(ArmId id) {
        return once(id.subscription(), "vnet " + id.key(), () -> arm.virtualNetwork(id));
    }

    @Override
    public List<VirtualNetwork> virtualNetworks(String subscription, String resourceGroup) {
        return once(subscription, "vnets " + ArmId.key(subscription) + "/" + ArmId.key(resourceGroup),
                () -> arm.virtualNetworks(subscription, resourceGroup));
    }

    @Override
    public int publicIpPrefixLength(ArmId id) {
        return once(id.subscription(), "prefix " + id.key(), () -> arm.publicIpPrefixLength(id));
    }

    @Override
    public Optional<LoadBalancer> loadBalancer(String subscription, String resourceGroup, String name) {
        return once(subscription, "lb " + ArmId.key(subscription) + "/" + ArmId.key(resourceGroup) + "/"
                + ArmId.key(name), () -> arm.loadBalancer(subscription, resourceGroup, name));
    }

    @Override
    public List<String> natGateways(String subscription, String resourceGroup) {
        return once(subscription, "natgw " + ArmId.key(subscription) + "/" + ArmId.key(resourceGroup),
                () -> arm.natGateways(subscription, resourceGroup));
    }

    /** Whether Resource Manager has said this subscription has fewer reads left than discovery may use. */
    String shortOfReads(String subscription) {
        OptionalInt remaining = arm.remainingReads(subscription);
        return remaining.isPresent() && remaining.getAsInt() < minRemainingReads
                ? "only " + remaining.getAsInt() + " reads left (x-ms-ratelimit-remaining-subscription-reads), "
                        + "fewer than min-remaining-reads " + minRemainingReads
                : null;
    }

    @SuppressWarnings("unchecked")
    private <T> T once(String subscription, String key, Supplier<T> read) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> first = reads.putIfAbsent(key, mine);
        if (first == null) {
            try {
                String shortOfReads = shortOfReads(subscription);
                if (shortOfReads != null) {
                    throw new ArmException(CallOutcome.THROTTLED, 0, null, "not read: " + shortOfReads, null);
                }
                mine.complete(read.get());
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            first = mine;
        }
        try {
            return (T) first.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
