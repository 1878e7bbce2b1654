package io.aksheadroom.azure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;

import io.aksheadroom.config.AzureConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PfxOptions;
import jakarta.inject.Singleton;

/**
 * The one place that connects the service to Azure: HTTP clients on Quarkus' own Vert.x (no second event loop, no
 * Netty) that trust what {@code aks-headroom.azure.trust-store} adds, the credential, and the HTTP pipeline of every
 * Azure Resource Manager client. Nothing is built before an Azure client asks for it, so a service that calls no
 * Azure needs no Azure settings.
 */
@Singleton
public class AzureConnection {

    /** What Azure sees as the client in its logs and throttling reports. */
    private static final String APPLICATION_ID = "aks-headroom";

    private final Vertx vertx;
    private final AzureConfig config;
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();
    private volatile TokenCredential credential;

    public AzureConnection(Vertx vertx, AzureConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    /**
     * An HTTP client whose every attempt ends after {@code timeout} (connect, wait for the answer, read it); clients
     * with the same timeout are one client.
     */
    public HttpClient httpClient(Duration timeout) {
        return clients.computeIfAbsent(timeout, this::newHttpClient);
    }

    private HttpClient newHttpClient(Duration timeout) {
        HttpClientOptions options = new HttpClientOptions();
        config.trustStore().ifPresent(path -> options.setTrustOptions(
                new PfxOptions().setPath(path.toString()).setPassword(config.trustStorePassword().orElse(null))));
        return new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(options).connectTimeout(timeout)
                .responseTimeout(timeout).readTimeout(timeout).build();
    }

    /** The identity every Azure client acts as; tokens are cached per audience by the credential. */
    public TokenCredential credential() {
        TokenCredential built = credential;
        if (built == null) {
            synchronized (this) {
                if (credential == null) {
                    credential = newCredential(config.credential(), httpClient(config.tokenTimeout()));
                }
                built = credential;
            }
        }
        return built;
    }

    /** Azure Resource Manager's base URL, without a trailing slash. */
    public String resourceManagerEndpoint() {
        String endpoint = config.resourceManagerEndpoint().strip();
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    /**
     * The pipeline of an Azure Resource Manager client: a request id, {@code retry}, then per attempt the caller's
     * {@code perAttempt} policies (counters, throttling headers) and a bearer token for Resource Manager.
     *
     * @param callTimeout how long one attempt may take before it counts as timed out
     */
    public HttpPipeline resourceManagerPipeline(Duration callTimeout, RetryOptions retry,
            List<HttpPipelinePolicy> perAttempt) {
        List<HttpPipelinePolicy> policies = new ArrayList<>();
        policies.add(new UserAgentPolicy(APPLICATION_ID));
        policies.add(new RequestIdPolicy());
        policies.add(new RetryPolicy(retry));
        policies.addAll(perAttempt);
        policies.add(new BearerTokenAuthenticationPolicy(credential(), resourceManagerEndpoint() + "/.default"));
        return new HttpPipelineBuilder().httpClient(httpClient(callTimeout))
                .policies(policies.toArray(HttpPipelinePolicy[]::new)).build();
    }

    private static TokenCredential newCredential(AzureConfig.Credential config, HttpClient httpClient) {
        if (config.kind() == AzureConfig.Credential.Kind.CLIENT_SECRET) {
            ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                    .tenantId(required(config.tenantId().orElse(null), "tenant-id"))
                    .clientId(required(config.clientId().orElse(null), "client-id"))
                    .clientSecret(required(config.clientSecret().orElse(null), "client-secret"))
                    .httpClient(httpClient);
            config.authorityHost().ifPresent(host -> builder.authorityHost(host)
                    // A non-public authority (sovereign cloud, the tests) has no Microsoft instance metadata to discover.
                    .disableInstanceDiscovery());
            return builder.build();
        }
        // Workload identity in Kubernetes: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and
        // AZURE_AUTHORITY_HOST come from the webhook; managed identity and the environment work as well.
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder().httpClient(httpClient);
        config.tenantId().ifPresent(builder::tenantId);
        config.clientId().ifPresent(id -> builder.managedIdentityClientId(id).workloadIdentityClientId(id));
        config.authorityHost().ifPresent(builder::authorityHost);
        return builder.build();
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "aks-headroom.azure.credential." + name + " is required for kind client-secret");
        }
        return value;
    }
}
