package io.aksheadroom.azuremonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local Azure: WireMock over HTTPS (MSAL refuses a plain-HTTP authority, azure-core refuses a bearer token over
 * HTTP) answering the batch metrics API, Azure Resource Manager and the token endpoint, with a certificate made for
 * this run by the JDK's keytool. The application trusts it through {@code aks-headroom.azure.trust-store}, the same
 * setting a TLS-inspecting proxy needs, and authenticates with a client-secret credential against it: real token
 * requests.
 */
public class AzureMonitorServer implements QuarkusTestResourceLifecycleManager {

    public static final String TENANT = "00000000-0000-0000-0000-00000000feed";
    public static final String TOKEN_PATH = "/" + TENANT + "/oauth2/v2.0/token";
    /** Tokens live one minute, inside MSAL's refresh margin, so every call acquires a token from the endpoint. */
    public static final String TOKEN_ANSWER = "{\"token_type\":\"Bearer\",\"expires_in\":60,\"ext_expires_in\":60,"
            + "\"access_token\":\"token-from-local-azure-ad\"}";
    private static final String STORE_PASSWORD = "changeit";

    /** Marks the test's {@link WireMockServer} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Injected {
    }

    private WireMockServer server;
    private Path directory;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("local-azure");
            Path store = directory.resolve("localhost.p12");
            keytool("-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
            server = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                    .keystorePath(store.toString()).keystoreType("PKCS12").keystorePassword(STORE_PASSWORD)
                    .keyManagerPassword(STORE_PASSWORD).containerThreads(8).jettyAcceptors(1));
            server.start();
            stubDefaults(server);
            String base = "https://localhost:" + server.httpsPort();
            Map<String, String> config = new HashMap<>();
            config.put("aks-headroom.azure-monitor.endpoint", base);
            config.put("aks-headroom.azure.resource-manager-endpoint", base);
            config.put("aks-headroom.azure.credential.kind", "client-secret");
            config.put("aks-headroom.azure.credential.tenant-id", TENANT);
            config.put("aks-headroom.azure.credential.client-id", "11111111-2222-3333-4444-555555555555");
            config.put("aks-headroom.azure.credential.client-secret", "local-secret");
            config.put("aks-headroom.azure.credential.authority-host", base + "/");
            config.put("aks-headroom.azure.trust-store", store.toString());
            config.put("aks-headroom.azure.trust-store-password", STORE_PASSWORD);
            return config;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start the local Azure", e);
        }
    }

    /** The token endpoint, and an empty answer for any batch call no test stubbed. */
    public static void stubDefaults(WireMockServer server) {
        // Azure AD echoes the client's correlation id; MSAL logs a complaint when it does not.
        server.stubFor(post(urlPathMatching("/[^/]+/oauth2/v2.0/token")).willReturn(okJson(TOKEN_ANSWER)
                .withHeader("client-request-id", "{{request.headers.client-request-id}}")
                .withTransformers("response-template")));
        server.stubFor(post(urlPathMatching("/subscriptions/[^/]+/metrics:getBatch")).atPriority(10)
                .willReturn(okJson("{\"values\":[]}")));
        server.stubFor(post(urlPathMatching("/.*")).atPriority(20).willReturn(aResponse().withStatus(404)));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Injected.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }
}
