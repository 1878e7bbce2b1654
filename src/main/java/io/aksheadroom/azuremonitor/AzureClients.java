package io.aksheadroom.azuremonitor;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.IntConsumer;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PfxOptions;
import reactor.core.publisher.Mono;

/**
 * The azure-core and azure-identity parts the metrics client runs on: an HTTP client on Quarkus' own Vert.x (no
 * second event loop, no Netty), the credential, and the retry rules. Nothing here is specific to the metrics query
 * SDK, so moving to another query artifact leaves this class alone.
 */
final class AzureClients {

    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");

    private AzureClients() {
    }

    /** One HTTP client for Azure Monitor and the token endpoint, so both trust the same certificates. */
    static HttpClient httpClient(Vertx vertx, AzureMonitorConfig config) {
        HttpClientOptions options = new HttpClientOptions();
        config.trustStore().ifPresent(path -> options.setTrustOptions(
                new PfxOptions().setPath(path.toString()).setPassword(config.trustStorePassword().orElse(null))));
        return new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(options)
                .connectTimeout(config.callTimeout()).responseTimeout(config.callTimeout())
                .readTimeout(config.callTimeout()).build();
    }

    static TokenCredential credential(AzureMonitorConfig.Credential config, HttpClient httpClient) {
        if (config.kind() == AzureMonitorConfig.Credential.Kind.CLIENT_SECRET) {
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

    /**
     * Retries 408, 429, 5xx (but 501 and 505) and connection errors with exponential backoff, waiting as long as
     * Retry-After says when Azure says it (azure-core's retry policy reads the header). A Retry-After longer than
     * {@code maxRetryAfter} is not waited for inside the poll: the call fails as throttled and the poller leaves
     * those resources alone until then. Timeouts are not retried: the next poll asks again.
     */
    static RetryOptions retryOptions(AzureMonitorConfig config) {
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions().setMaxRetries(config.maxRetries())
                .setBaseDelay(config.retryDelay()).setMaxDelay(config.maxRetryDelay());
        Duration maxRetryAfter = config.maxRetryAfter();
        return new RetryOptions(backoff).setShouldRetryCondition(condition -> shouldRetry(condition, maxRetryAfter));
    }

    static boolean shouldRetry(RequestRetryCondition condition, Duration maxRetryAfter) {
        HttpResponse response = condition.getResponse();
        if (response != null) {
            int status = response.getStatusCode();
            boolean transientStatus = status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
            Duration retryAfter = retryAfter(response.getHeaders());
            return transientStatus && (retryAfter == null || retryAfter.compareTo(maxRetryAfter) <= 0);
        }
        return !CallOutcome.isTimeout(condition.getThrowable())
                && CallOutcome.causes(condition.getThrowable()).anyMatch(java.io.IOException.class::isInstance);
    }

    /** Retry-After as Azure sends it: {@code retry-after-ms}, {@code x-ms-retry-after-ms}, or seconds or a date. */
    static Duration retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return null;
        }
        for (HttpHeaderName name : new HttpHeaderName[] {RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS}) {
            String millis = headers.getValue(name);
            if (millis != null) {
                try {
                    return Duration.ofMillis(Long.parseLong(millis.trim()));
                } catch (NumberFormatException e) {
                    // fall through to the next header
                }
            }
        }
        String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(OffsetDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Counts every HTTP attempt by status, so throttling that a retry hid still shows (0 = no answer). */
    static HttpPipelinePolicy attemptCounter(IntConsumer statusCounter) {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                return next.process().doOnNext(response -> statusCounter.accept(response.getStatusCode()))
                        .doOnError(error -> statusCounter.accept(0));
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                try {
                    HttpResponse response = next.processSync();
                    statusCounter.accept(response.getStatusCode());
                    return response;
                } catch (RuntimeException e) {
                    statusCounter.accept(0);
                    throw e;
                }
            }

            @Override
            public HttpPipelinePosition getPipelinePosition() {
                return HttpPipelinePosition.PER_RETRY;
            }
        };
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "aks-headroom.azure-monitor.credential." + name + " is required for kind client-secret");
        }
        return value;
    }
}
