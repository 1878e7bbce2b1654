package io.aksheadroom.actuator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.http.rest.Response;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.containerservice.fluent.ContainerServiceManagementClient;
import com.azure.resourcemanager.containerservice.fluent.models.AgentPoolInner;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.ContainerServiceNetworkProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterLoadBalancerProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterLoadBalancerProfileManagedOutboundIPs;
import com.azure.resourcemanager.containerservice.models.ManagedClusterManagedOutboundIpProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterNatGatewayProfile;

import io.aksheadroom.actuator.core.Change;
import io.aksheadroom.actuator.core.LiveCluster;
import io.aksheadroom.actuator.core.LivePool;
import io.aksheadroom.azure.AzureConnection;
import io.aksheadroom.azure.AzureRetry;
import io.aksheadroom.capacity.LoadBalancerProfile;
import io.aksheadroom.capacity.NatGatewayProfile;
import io.aksheadroom.capacity.OutboundType;
import io.aksheadroom.discovery.ArmId;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one class that reads and writes managed clusters for the actuator, through the generated client of
 * {@code azure-resourcemanager-containerservice}: a GET, and a PUT of what that GET returned with the changes set and
 * {@code If-Match} carrying its ETag, and the same for one agent pool (its {@code maxCount}). The PUT's first answer is the result (the long-running operation it starts is
 * not awaited: the next decision sees its {@code provisioningState}).
 */
@ApplicationScoped
public class ManagedClusters {

    /** A managed cluster as just read: the decision's view of it, and the body a write sends back. */
    public record Read(LiveCluster live, ManagedClusterInner body) {
    }

    /** Azure answered with an HTTP error (after the retries of 408, 429 and 5xx). */
    public static final class AzureRefused extends RuntimeException {
        private final int status;

        AzureRefused(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status of the last attempt; 0 when there was no answer. */
        public int status() {
            return status;
        }

        /** 412: the cluster changed since it was read. */
        public boolean concurrentChange() {
            return status == 412;
        }

        /** 409: another operation on the cluster is in progress. */
        public boolean operationInProgress() {
            return status == 409;
        }
    }

    /** The managed clusters API version of the SDK's generated client, so GET and PUT speak one shape. */
    static final String API_VERSION = "2025-09-01";

    private final AzureConnection azure;
    private final ActuatorConfig config;
    private final Map<String, ContainerServiceManagementClient> clients = new ConcurrentHashMap<>();
    private volatile HttpPipeline pipeline;

    ManagedClusters(AzureConnection azure, ActuatorConfig config) {
        this.azure = azure;
        this.config = config;
    }

    public Read read(ArmId id) {
        Response<ManagedClusterInner> response = get(() -> client(id.subscription()).getManagedClusters()
                .getByResourceGroupWithResponse(id.resourceGroup(), id.name(), Context.NONE));
        ManagedClusterInner body = response.getValue();
        return new Read(live(body, etag(body.etag(), response)), body);
    }

    /** Sends {@code read}'s body back with {@code changes} set, only if the cluster's ETag is still {@code etag}. */
    public int write(ArmId id, Read read, List<Change> changes) {
        ManagedClusterInner body = read.body();
        for (Change change : changes) {
            set(body, change);
        }
        return put(id.id(), read.live().etag(), body);
    }

    /** An agent pool as just read: the decision's view of it, and the body a write sends back. */
    public record PoolRead(LivePool live, AgentPoolInner body) {
    }

    public PoolRead readPool(ArmId cluster, String pool) {
        Response<AgentPoolInner> response = get(() -> client(cluster.subscription()).getAgentPools()
                .getWithResponse(cluster.resourceGroup(), cluster.name(), pool, Context.NONE));
        AgentPoolInner body = response.getValue();
        return new PoolRead(new LivePool(pool, body.provisioningState(), etag(body.etag(), response),
                Boolean.TRUE.equals(body.enableAutoScaling()), body.count() == null ? 0 : body.count(),
                body.minCount(), body.maxCount()), body);
    }

    private static <T> Response<T> get(Supplier<Response<T>> call) {
        try {
            return call.get();
        } catch (HttpResponseException e) {
            throw refused(e);
        } catch (RuntimeException e) {
            // No usable answer (a timeout, a connection or token failure): the decision records it as such.
            throw new AzureRefused(0, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The body's eTag, or the response's ETag header when the body has none. */
    private static String etag(String inBody, Response<?> response) {
        return inBody != null ? inBody : response.getHeaders().getValue(HttpHeaderName.ETAG);
    }

    /** Sends the pool's body back with its new {@code maxCount}, only if the pool's ETag is still the one read. */
    public int writePool(ArmId cluster, PoolRead read, List<Change> changes) {
        AgentPoolInner body = read.body();
        for (Change change : changes) {
            if (!Change.POOL_MAX_COUNT.equals(change.field())) {
                throw new IllegalArgumentException("the actuator does not write " + change.field() + " on a pool");
            }
            body.withMaxCount(change.to());
        }
        return put(cluster.id() + "/agentPools/" + read.live().name(), read.live().etag(), body);
    }

    // The PUT goes through the same pipeline (retries, token) with the SDK's own serialisation of the model, but
    // synchronously and without the SDK's poller: its first answer is all the actuator waits for.
    private int put(String path, String etag, Object body) {
        HttpRequest request = new HttpRequest(HttpMethod.PUT, azure.resourceManagerEndpoint() + path
                + "?api-version=" + API_VERSION)
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setHeader(HttpHeaderName.IF_MATCH, etag)
                .setBody(BinaryData.fromObject(body));
        try (HttpResponse response = pipeline().sendSync(request, Context.NONE)) {
            int status = response.getStatusCode();
            if (status >= 400) {
                String text = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
                throw new AzureRefused(status, "HTTP " + status + ": " + text.lines().findFirst().orElse(""), null);
            }
            return status;
        } catch (AzureRefused e) {
            throw e;
        } catch (HttpResponseException e) {
            throw refused(e);
        } catch (RuntimeException e) {
            // No usable answer (a timeout, a connection or token failure): the decision records it as such.
            throw new AzureRefused(0, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static LiveCluster live(ManagedClusterInner body, String etag) {
        ContainerServiceNetworkProfile network = body.networkProfile();
        OutboundType type = network == null || network.outboundType() == null ? OutboundType.LOAD_BALANCER
                : OutboundType.fromWire(network.outboundType().toString());
        LoadBalancerProfile lb = null;
        NatGatewayProfile nat = null;
        if (network != null && network.loadBalancerProfile() != null) {
            ManagedClusterLoadBalancerProfile profile = network.loadBalancerProfile();
            Integer managed = profile.managedOutboundIPs() == null ? null : profile.managedOutboundIPs().count();
            Integer own = profile.outboundIPs() == null || profile.outboundIPs().publicIPs() == null ? null
                    : profile.outboundIPs().publicIPs().size();
            List<Integer> prefixes = profile.outboundIpPrefixes() == null
                    || profile.outboundIpPrefixes().publicIpPrefixes() == null ? List.of()
                    // The length is the prefix resource's; an own prefix is never written, so any valid length does.
                    : profile.outboundIpPrefixes().publicIpPrefixes().stream().map(prefix -> 31).toList();
            lb = new LoadBalancerProfile(managed, own, prefixes,
                    profile.allocatedOutboundPorts() == null ? 0 : profile.allocatedOutboundPorts(),
                    profile.idleTimeoutInMinutes());
        }
        if (network != null && network.natGatewayProfile() != null) {
            ManagedClusterNatGatewayProfile profile = network.natGatewayProfile();
            nat = new NatGatewayProfile(
                    profile.managedOutboundIpProfile() == null ? null : profile.managedOutboundIpProfile().count(),
                    profile.idleTimeoutInMinutes());
        }
        return new LiveCluster(body.provisioningState(), etag, type, lb, nat);
    }

    private static void set(ManagedClusterInner body, Change change) {
        ContainerServiceNetworkProfile network = body.networkProfile();
        switch (change.field()) {
            case Change.LB_MANAGED_IPS -> {
                ManagedClusterLoadBalancerProfile lb = network.loadBalancerProfile();
                if (lb == null) {
                    lb = new ManagedClusterLoadBalancerProfile();
                    network.withLoadBalancerProfile(lb);
                }
                ManagedClusterLoadBalancerProfileManagedOutboundIPs ips = lb.managedOutboundIPs();
                lb.withManagedOutboundIPs((ips == null ? new ManagedClusterLoadBalancerProfileManagedOutboundIPs() : ips)
                        .withCount(change.to()));
            }
            case Change.LB_PORTS -> network.loadBalancerProfile().withAllocatedOutboundPorts(change.to());
            case Change.NAT_MANAGED_IPS -> {
                ManagedClusterNatGatewayProfile nat = network.natGatewayProfile();
                if (nat == null) {
                    nat = new ManagedClusterNatGatewayProfile();
                    network.withNatGatewayProfile(nat);
                }
                ManagedClusterManagedOutboundIpProfile ips = nat.managedOutboundIpProfile();
                nat.withManagedOutboundIpProfile((ips == null ? new ManagedClusterManagedOutboundIpProfile() : ips)
                        .withCount(change.to()));
            }
            default -> throw new IllegalArgumentException("the actuator does not write " + change.field());
        }
    }

    private static AzureRefused refused(HttpResponseException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return new AzureRefused(status, "HTTP " + status + ": " + message, e);
    }

    private ContainerServiceManagementClient client(String subscription) {
        return clients.computeIfAbsent(ArmId.key(subscription), key -> ContainerServiceManager
                .authenticate(pipeline(), new AzureProfile(null, subscription, new AzureEnvironment(Map.of(
                        "resourceManagerEndpointUrl", azure.resourceManagerEndpoint() + "/",
                        "managementEndpointUrl", azure.resourceManagerEndpoint() + "/"))))
                .serviceClient());
    }

    private HttpPipeline pipeline() {
        HttpPipeline built = pipeline;
        if (built == null) {
            synchronized (this) {
                if (pipeline == null) {
                    pipeline = azure.resourceManagerPipeline(config.calls().callTimeout(), AzureRetry.retryOptions(
                            config.calls().maxRetries(), config.calls().retryDelay(), config.calls().maxRetryDelay(), config.maxRetryAfter()),
                            List.of());
                }
                built = pipeline;
            }
        }
        return built;
    }
}
