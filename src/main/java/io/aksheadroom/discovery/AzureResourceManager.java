package io.aksheadroom.discovery;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.SubResource;
import com.azure.core.management.profile.AzureProfile;
import com.azure.json.JsonProviders;
import com.azure.json.JsonSerializable;
import com.azure.json.JsonWriter;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.NatGatewayInner;
import com.azure.resourcemanager.network.fluent.models.OutboundRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aksheadroom.azure.AzureConnection;
import io.aksheadroom.azure.AzureRetry;
import io.aksheadroom.azure.CallOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import reactor.core.publisher.Mono;

/**
 * The one class that knows the Azure Resource Manager SDKs ({@code azure-resourcemanager-containerservice} and
 * {@code azure-resourcemanager-network}): ids go in, plain records come out, and failures come out as an
 * {@link ArmException} with an outcome. It uses the SDKs' generated service clients under the fluent managers
 * (one manager per subscription, all on one HTTP pipeline), never the fluent model, which would read more than asked.
 */
@ApplicationScoped
public class AzureResourceManager {

    /**
     * A managed cluster as listed.
     *
     * @param properties the ARM {@code properties} the profile is made of, in the shape {@code az aks show} prints
     *        them: {@code networkProfile} and {@code agentPoolProfiles}
     * @param powerState {@code Running} or {@code Stopped}; null when ARM did not say
     */
    public record Cluster(String id, String name, String location, String nodeResourceGroup, String powerState,
            ObjectNode properties) {

        public ArmId armId() {
            return ArmId.parse(id);
        }
    }

    /**
     * A subnet as its VNet lists it.
     *
     * @param addressPrefixes {@code addressPrefix}, or else {@code addressPrefixes}
     * @param ipConfigurations how many IP configurations Azure counts in it
     * @param natGatewayId the NAT gateway attached to it, or null
     */
    public record Subnet(String id, String name, List<String> addressPrefixes, int ipConfigurations,
            String natGatewayId) {
    }

    /** A virtual network with its address space and subnets. */
    public record VirtualNetwork(String id, String name, List<String> addressSpace, List<Subnet> subnets) {
    }

    /** A load balancer, with the frontend IP configurations its outbound rules use. */
    public record LoadBalancer(String id, int outboundFrontends) {
    }

    private static final HttpHeaderName REMAINING_READS =
            HttpHeaderName.fromString("x-ms-ratelimit-remaining-subscription-reads");

    private final AzureConnection azure;
    private final DiscoveryConfig config;
    private final MeterRegistry registry;
    private final ObjectMapper mapper;
    private final Map<String, Integer> remainingReads = new ConcurrentHashMap<>();
    private final Map<String, ContainerServiceManager> containerService = new ConcurrentHashMap<>();
    private final Map<String, NetworkManagementClient> network = new ConcurrentHashMap<>();
    private volatile HttpPipeline pipeline;
    private volatile AzureEnvironment environment;

    AzureResourceManager(AzureConnection azure, DiscoveryConfig config, MeterRegistry registry, ObjectMapper mapper) {
        this.azure = azure;
        this.config = config;
        this.registry = registry;
        this.mapper = mapper;
    }

    /** Every managed cluster of the subscription, following {@code nextLink} to the last page. */
    public List<Cluster> clusters(String subscription) {
        return call("list_clusters", () -> {
            List<Cluster> clusters = new ArrayList<>();
            for (ManagedClusterInner cluster : containerService(subscription).serviceClient().getManagedClusters()
                    .list()) {
                clusters.add(cluster(cluster));
            }
            return clusters;
        });
    }

    /** The virtual network of this id, with its subnets. */
    public VirtualNetwork virtualNetwork(ArmId id) {
        return call("get_virtual_network", () -> virtualNetwork(network(id.subscription()).getVirtualNetworks()
                .getByResourceGroup(id.resourceGroup(), id.name())));
    }

    /** The virtual networks of a resource group (the AKS-managed VNet lives in the node resource group). */
    public List<VirtualNetwork> virtualNetworks(String subscription, String resourceGroup) {
        return call("list_virtual_networks", () -> {
            List<VirtualNetwork> vnets = new ArrayList<>();
            for (VirtualNetworkInner vnet : network(subscription).getVirtualNetworks().listByResourceGroup(resourceGroup)) {
                vnets.add(virtualNetwork(vnet));
            }
            return vnets;
        });
    }

    /** The {@code prefixLength} of a public IP prefix. */
    public int publicIpPrefixLength(ArmId id) {
        Integer length = call("get_public_ip_prefix", () -> network(id.subscription()).getPublicIpPrefixes()
                .getByResourceGroup(id.resourceGroup(), id.name()).prefixLength());
        if (length == null) {
            throw new ArmException(CallOutcome.ERROR, 200, null, id.id() + " has no prefixLength", null);
        }
        return length;
    }

    /** The load balancer, or empty when it does not exist. */
    public Optional<LoadBalancer> loadBalancer(String subscription, String resourceGroup, String name) {
        try {
            return Optional.of(call("get_load_balancer", () -> {
                LoadBalancerInner lb = network(subscription).getLoadBalancers().getByResourceGroup(resourceGroup, name);
                int frontends = 0;
                for (OutboundRuleInner rule : nullSafe(lb.outboundRules())) {
                    frontends += nullSafe(rule.frontendIpConfigurations()).size();
                }
                return new LoadBalancer(lb.id(), frontends);
            }));
        } catch (ArmException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The ids of the NAT gateways of a resource group. */
    public List<String> natGateways(String subscription, String resourceGroup) {
        return call("list_nat_gateways", () -> {
            List<String> ids = new ArrayList<>();
            for (NatGatewayInner gateway : network(subscription).getNatGateways().listByResourceGroup(resourceGroup)) {
                ids.add(gateway.id());
            }
            return ids;
        });
    }

    /** What Resource Manager last said about the reads left for this subscription; empty before it said anything. */
    public OptionalInt remainingReads(String subscription) {
        Integer remaining = remainingReads.get(ArmId.key(subscription));
        return remaining == null ? OptionalInt.empty() : OptionalInt.of(remaining);
    }

    private Cluster cluster(ManagedClusterInner cluster) {
        ObjectNode properties = mapper.createObjectNode();
        if (cluster.networkProfile() != null) {
            properties.set("networkProfile", json(cluster.networkProfile()));
        }
        ArrayNode pools = properties.putArray("agentPoolProfiles");
        for (ManagedClusterAgentPoolProfile pool : nullSafe(cluster.agentPoolProfiles())) {
            pools.add(json(pool));
        }
        return new Cluster(cluster.id(), cluster.name(), cluster.location(), cluster.nodeResourceGroup(),
                cluster.powerState() == null || cluster.powerState().code() == null ? null
                        : cluster.powerState().code().toString(),
                properties);
    }

    private static VirtualNetwork virtualNetwork(VirtualNetworkInner vnet) {
        List<Subnet> subnets = new ArrayList<>();
        for (SubnetInner subnet : nullSafe(vnet.subnets())) {
            List<String> prefixes = subnet.addressPrefix() != null ? List.of(subnet.addressPrefix())
                    : List.copyOf(nullSafe(subnet.addressPrefixes()));
            SubResource nat = subnet.natGateway();
            subnets.add(new Subnet(subnet.id(), subnet.name(), prefixes, nullSafe(subnet.ipConfigurations()).size(),
                    nat == null ? null : nat.id()));
        }
        List<String> space = vnet.addressSpace() == null ? List.of()
                : List.copyOf(nullSafe(vnet.addressSpace().addressPrefixes()));
        return new VirtualNetwork(vnet.id(), vnet.name(), space, subnets);
    }

    /** The SDK model as the JSON Resource Manager sends, which is what {@code az aks show} prints. */
    private JsonNode json(JsonSerializable<?> model) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = JsonProviders.createWriter(out)) {
            model.toJson(writer);
            writer.flush();
            return mapper.readTree(out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T call(String operation, Supplier<T> call) {
        Timer.Sample timer = Timer.start(registry);
        CallOutcome outcome = CallOutcome.SUCCESS;
        try {
            return call.get();
        } catch (ArmException e) {
            outcome = e.outcome();
            throw e;
        } catch (ClientAuthenticationException e) {
            outcome = CallOutcome.AUTH_ERROR;
            throw new ArmException(outcome, 0, null, "no token: " + firstLine(e.getMessage()), e);
        } catch (HttpResponseException e) {
            HttpResponse response = e.getResponse();
            int status = response == null ? 0 : response.getStatusCode();
            outcome = CallOutcome.ofStatus(status);
            throw new ArmException(outcome, status, response == null ? null : AzureRetry.retryAfter(response.getHeaders()),
                    "HTTP " + status + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            // A malformed answer fails in the SDK's parsing; a dead token endpoint fails below the credential.
            outcome = CallOutcome.ofError(e);
            throw new ArmException(outcome, 0, null, (outcome == CallOutcome.AUTH_ERROR ? "no token: " : "")
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
        } finally {
            timer.stop(registry.timer("aks_headroom_discovery_call_duration", "operation", operation));
            registry.counter("aks_headroom_discovery_calls", "operation", operation, "outcome", outcome.tag())
                    .increment();
        }
    }

    private ContainerServiceManager containerService(String subscription) {
        return containerService.computeIfAbsent(ArmId.key(subscription),
                key -> ContainerServiceManager.authenticate(pipeline(), profile(subscription)));
    }

    private NetworkManagementClient network(String subscription) {
        return network.computeIfAbsent(ArmId.key(subscription),
                key -> NetworkManager.authenticate(pipeline(), profile(subscription)).serviceClient());
    }

    private AzureProfile profile(String subscription) {
        return new AzureProfile(null, subscription, environment());
    }

    /** Azure Resource Manager at the configured endpoint, whichever cloud that is. */
    private AzureEnvironment environment() {
        AzureEnvironment env = environment;
        if (env == null) {
            env = new AzureEnvironment(Map.of("resourceManagerEndpointUrl", azure.resourceManagerEndpoint() + "/",
                    "managementEndpointUrl", azure.resourceManagerEndpoint() + "/"));
            environment = env;
        }
        return env;
    }

    private HttpPipeline pipeline() {
        HttpPipeline built = pipeline;
        if (built == null) {
            synchronized (this) {
                if (pipeline == null) {
                    pipeline = azure.resourceManagerPipeline(config.calls().callTimeout(),
                            AzureRetry.retryOptions(config.calls().maxRetries(), config.calls().retryDelay(), config.calls().maxRetryDelay(),
                                    config.maxRetryAfter()),
                            List.of(AzureRetry.attemptCounter(status -> registry.counter(
                                    "aks_headroom_discovery_requests", "status",
                                    status == 0 ? "none" : Integer.toString(status)).increment()),
                                    remainingReadsObserver()));
                }
                built = pipeline;
            }
        }
        return built;
    }

    /** Keeps what each answer says about the subscription's remaining reads, for the listing to pace itself. */
    private HttpPipelinePolicy remainingReadsObserver() {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                return next.process().doOnNext(this::observe);
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                HttpResponse response = next.processSync();
                observe(response);
                return response;
            }

            private void observe(HttpResponse response) {
                String remaining = response.getHeaderValue(REMAINING_READS);
                String subscription = subscriptionOf(response.getRequest().getUrl().getPath());
                if (remaining != null && subscription != null) {
                    try {
                        remainingReads.put(ArmId.key(subscription), Integer.parseInt(remaining.trim()));
                    } catch (NumberFormatException e) {
                        // a header we cannot read says nothing
                    }
                }
            }

            @Override
            public HttpPipelinePosition getPipelinePosition() {
                return HttpPipelinePosition.PER_RETRY;
            }
        };
    }

    static String subscriptionOf(String path) {
        String[] parts = path.split("/");
        return parts.length > 2 && "subscriptions".equalsIgnoreCase(parts[1]) ? parts[2] : null;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

}
