package io.aksheadroom.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How every Azure client of the service connects: the Azure Monitor poller, fleet discovery and anything else that
 * calls Azure Resource Manager. One identity, one trust store, one Resource Manager endpoint for all of them.
 */
@ConfigMapping(prefix = "aks-headroom.azure")
public interface AzureConfig {

    /** How to get Microsoft Entra ID tokens. */
    Credential credential();

    /**
     * A PKCS#12 store of extra certificates to trust for Azure and its token endpoint (a TLS-inspecting proxy, a
     * private endpoint with its own CA, the tests' local server); absent means the JVM's trust store.
     */
    Optional<Path> trustStore();

    /** The password of {@link #trustStore()}. */
    Optional<String> trustStorePassword();

    /**
     * Azure Resource Manager; its tokens are asked for this audience. Azure Government:
     * {@code https://management.usgovcloudapi.net}; Azure China: {@code https://management.chinacloudapi.cn}.
     */
    @WithDefault("https://management.azure.com")
    String resourceManagerEndpoint();

    /** How long one request to the token endpoint may wait for its answer. */
    @WithDefault("30s")
    Duration tokenTimeout();

    /** Microsoft Entra ID credentials. */
    interface Credential {

        /**
         * {@code default}: DefaultAzureCredential (workload identity in Kubernetes, managed identity, environment);
         * {@code client-secret}: a service principal's secret, only when configured explicitly.
         */
        @WithDefault("default")
        Kind kind();

        /** The tenant (client-secret; optional for default). */
        Optional<String> tenantId();

        /** The application (client) id (client-secret; for default, the managed or workload identity's client id). */
        Optional<String> clientId();

        /** The client secret (client-secret only). */
        Optional<String> clientSecret();

        /** The authority host, for sovereign clouds; absent means Azure public cloud (or AZURE_AUTHORITY_HOST). */
        Optional<String> authorityHost();

        enum Kind {
            DEFAULT, CLIENT_SECRET
        }
    }
}
