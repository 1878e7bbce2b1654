package io.aksheadroom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.aksheadroom.kubernetes.NodeWatcherConfig;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests as {@code kubectl kustomize} renders them: every object in the typed model, nothing
 * unknown in it, the pods locked down, RBAC no wider than reading nodes, and the ConfigMap saying what the app reads.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final String BASE = "base";
    private static final String EXAMPLE = "overlays/example";
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A rendered directory, every object parsed strictly. */
    private record Rendered(List<HasMetadata> objects) {

        /** Rendered once per directory for the whole class: the tests only read the objects. */
        private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

        static Rendered of(String directory) {
            return RENDERED.computeIfAbsent(directory,
                    key -> new Rendered(StrictKubernetes.parseAll(Kustomize.render(K8S.resolve(key)))));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            assertEquals(1, found.size(), "exactly one " + type.getSimpleName() + ": " + found);
            return found.get(0);
        }

        GenericKubernetesResource custom(String kind) {
            List<GenericKubernetesResource> found = all(GenericKubernetesResource.class).stream()
                    .filter(resource -> resource.getKind().equals(kind)).toList();
            assertEquals(1, found.size(), "exactly one " + kind);
            return found.get(0);
        }

        PodSpec pod() {
            return one(Deployment.class).getSpec().getTemplate().getSpec();
        }

        Map<String, String> podLabels() {
            return one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        }

        Container container() {
            List<Container> containers = pod().getContainers();
            assertEquals(1, containers.size());
            return containers.get(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void everyObjectIsOfAKnownKind(String directory) {
        Set<String> kinds = Rendered.of(directory).objects().stream().map(HasMetadata::getKind)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap",
                "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PrometheusRule"));
        if (directory.equals(EXAMPLE)) {
            expected.add("Namespace");
        }
        assertEquals(expected, kinds);
    }

    @Test
    void aFieldTheModelDoesNotKnowFailsTheParse() throws IOException {
        JsonNode misspelt = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                      - name: x
                        image: x
                        securityContext: {readOnlyRootFileSystem: true}
                """);
        // fabric8's default keeps the misspelling aside and parses; the API server would then ignore it.
        assertNull(StrictKubernetes.parseLeniently(misspelt, Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> StrictKubernetes.parse(misspelt));
        assertTrue(error.getMessage().contains("readOnlyRootFileSystem"), error.getMessage());

        JsonNode quoted = YAML.readTree("{apiVersion: apps/v1, kind: Deployment, metadata: {name: x}, spec: {replicas: '2'}}");
        assertThrows(IllegalArgumentException.class, () -> StrictKubernetes.parse(quoted));
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void thePodsRunLockedDown(String directory) {
        Rendered rendered = Rendered.of(directory);
        Deployment deployment = rendered.one(Deployment.class);
        PodSpec pod = rendered.pod();

        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertNotEquals(Boolean.TRUE, pod.getHostNetwork());
        assertNotEquals(Boolean.TRUE, pod.getHostPID());
        assertNotEquals(Boolean.TRUE, pod.getHostIPC());
        assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty(), "no init containers to lock down");

        Container container = rendered.container();
        SecurityContext security = container.getSecurityContext();
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
        assertNotEquals(Boolean.TRUE, security.getPrivileged());
        assertNotEquals(Boolean.FALSE, security.getRunAsNonRoot());
        Capabilities capabilities = security.getCapabilities();
        assertEquals(List.of("ALL"), capabilities.getDrop());
        assertTrue(capabilities.getAdd() == null || capabilities.getAdd().isEmpty(), "no capability added back");

        // The root filesystem is read-only, so /tmp (the JVM, Vert.x, the embedded broker) is an emptyDir.
        VolumeMount tmp = container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow(() -> new AssertionError("/tmp is not mounted"));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
        assertNotNull(volume.getEmptyDir(), "/tmp is an emptyDir");
        pod.getVolumes().forEach(v -> assertNull(v.getHostPath(), "no hostPath volume: " + v.getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void theProbesAskQuarkusHealthOnTheHttpPort(String directory) {
        Container container = Rendered.of(directory).container();
        ContainerPort http = container.getPorts().stream().filter(port -> "http".equals(port.getName())).findFirst()
                .orElseThrow();
        assertEquals(8080, http.getContainerPort());
        assertProbe("/q/health/started", container.getStartupProbe());
        assertProbe("/q/health/live", container.getLivenessProbe());
        assertProbe("/q/health/ready", container.getReadinessProbe());
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void theContainerAsksForWhatItUsesAndIsCappedAboveIt(String directory) {
        Container container = Rendered.of(directory).container();
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(requests.get(resource), "requests " + resource);
            assertNotNull(limits.get(resource), "limits " + resource);
            assertTrue(requests.get(resource).getNumericalAmount().compareTo(limits.get(resource).getNumericalAmount()) <= 0,
                    resource + ": request above limit");
        }
        // About 250 MiB resident was measured with 1,000 nodes watched: the request must cover it, the limit leave room.
        long mebibyte = 1024L * 1024;
        assertTrue(requests.get("memory").getNumericalAmount().longValue() >= 256 * mebibyte);
        assertTrue(limits.get("memory").getNumericalAmount().longValue() >= 384 * mebibyte);
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void rbacGrantsReadingNodesAndNothingElse(String directory) {
        Rendered rendered = Rendered.of(directory);
        assertTrue(rendered.all(Role.class).isEmpty(), "no namespaced Role");
        assertTrue(rendered.all(RoleBinding.class).isEmpty(), "no RoleBinding");

        ClusterRole role = rendered.one(ClusterRole.class);
        assertNull(role.getAggregationRule(), "an aggregated role could grow without this file changing");
        Set<String> verbs = new HashSet<>();
        for (PolicyRule rule : role.getRules()) {
            assertEquals(List.of(""), rule.getApiGroups(), "the core API group only");
            assertEquals(List.of("nodes"), rule.getResources(), "nodes only, no subresources");
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
            assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
            verbs.addAll(rule.getVerbs());
        }
        assertEquals(Set.of("get", "list", "watch"), verbs);

        ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        ServiceAccount account = rendered.one(ServiceAccount.class);
        String namespace = Optional.ofNullable(account.getMetadata().getNamespace()).orElse("default");
        List<Subject> subjects = binding.getSubjects();
        assertEquals(1, subjects.size(), "bound to the app's ServiceAccount only: " + subjects);
        assertEquals("ServiceAccount", subjects.get(0).getKind());
        assertEquals(account.getMetadata().getName(), subjects.get(0).getName());
        assertEquals(namespace, subjects.get(0).getNamespace());
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void thePodsUseTheServiceAccountTokenOnlyWhereTheyNeedIt(String directory) {
        Rendered rendered = Rendered.of(directory);
        ServiceAccount account = rendered.one(ServiceAccount.class);
        assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken(), "no token by default for this account");
        assertEquals(account.getMetadata().getName(), rendered.pod().getServiceAccountName());
        // The node watcher, on in the ConfigMap, needs the token to list and watch nodes.
        assertEquals("true", rendered.one(ConfigMap.class).getData().get("AKS_HEADROOM_NODE_WATCHER_ENABLED"));
        assertEquals(Boolean.TRUE, rendered.pod().getAutomountServiceAccountToken());

        String clientId = account.getMetadata().getAnnotations().get("azure.workload.identity/client-id");
        assertTrue(clientId != null && GUID.matcher(clientId).matches(), "a client id: " + clientId);
        assertEquals("true", rendered.podLabels().get("azure.workload.identity/use"));
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void serviceBudgetPolicyAndMonitorAllSelectThePods(String directory) {
        Rendered rendered = Rendered.of(directory);
        Map<String, String> podLabels = rendered.podLabels();
        assertEquals(rendered.one(Deployment.class).getSpec().getSelector().getMatchLabels(),
                rendered.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
        assertSelects(rendered.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(), podLabels);
        assertEquals(1, rendered.one(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal());

        Service service = rendered.one(Service.class);
        assertSelects(service.getSpec().getSelector(), podLabels);
        assertEquals(8080, service.getSpec().getPorts().get(0).getPort());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());

        assertSelects(rendered.one(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels(), podLabels);

        // A custom resource, so no typed model: check the fields the Prometheus Operator needs, by hand.
        GenericKubernetesResource monitor = rendered.custom("ServiceMonitor");
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) monitor.get("spec", "selector", "matchLabels");
        assertSelects(selector, service.getMetadata().getLabels());
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertEquals(1, endpoints.size());
        assertEquals(service.getSpec().getPorts().get(0).getName(), endpoints.get(0).get("port"));
        assertEquals("/q/metrics", endpoints.get(0).get("path"));
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE, EXAMPLE})
    void theNetworkPolicyLetsInTheApiAndScrapeAndOutKafkaHttpsAndDnsOnly(String directory) {
        NetworkPolicy policy = Rendered.of(directory).one(NetworkPolicy.class);
        assertEquals(Set.of("Ingress", "Egress"), Set.copyOf(policy.getSpec().getPolicyTypes()));

        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            assertEquals(Set.of("TCP/8080"), ports(rule.getPorts()), "ingress to the API and metrics port only");
        }
        Set<String> egress = new TreeSet<>();
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), "every egress rule names its ports");
            Set<String> ports = ports(rule.getPorts());
            if (ports.contains("UDP/53") || ports.contains("TCP/53")) {
                assertEquals(Set.of("UDP/53", "TCP/53"), ports);
                NetworkPolicyPeer dns = rule.getTo().get(0);
                assertEquals(1, rule.getTo().size(), "DNS from CoreDNS only");
                assertEquals(Map.of("kubernetes.io/metadata.name", "kube-system"), dns.getNamespaceSelector().getMatchLabels());
                assertEquals(Map.of("k8s-app", "kube-dns"), dns.getPodSelector().getMatchLabels());
            }
            egress.addAll(ports);
        }
        assertEquals(new TreeSet<>(Set.of("UDP/53", "TCP/53", "TCP/9092", "TCP/9093", "TCP/443")), egress);
    }

    @Test
    void theExampleConfigMapTurnsTheWatcherOnAndTheEmbeddedBrokerOff() {
        Rendered rendered = Rendered.of(EXAMPLE);
        ConfigMap config = rendered.one(ConfigMap.class);
        assertEquals(List.of(config.getMetadata().getName()), rendered.container().getEnvFrom().stream()
                .map(EnvFromSource::getConfigMapRef).filter(Objects::nonNull).map(ref -> ref.getName()).toList(),
                "the Deployment reads the generated (hash-named) ConfigMap");

        // Read the data the way Quarkus will read the pod's environment.
        SmallRyeConfig app = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(config.getData(), 300))
                .withMapping(NodeWatcherConfig.class).build();
        NodeWatcherConfig watcher = app.getConfigMapping(NodeWatcherConfig.class);
        assertTrue(watcher.enabled());
        assertEquals(List.of("22222222-3333-4444-5555-666666666666"),
                app.getValues("aks-headroom.discovery.subscriptions", String.class), "fleet discovery, on");
        assertEquals(Optional.of("aks-prod-westeurope"), watcher.clusterId());
        assertEquals(Boolean.FALSE, app.getValue("aks-headroom.embedded-broker.enabled", Boolean.class));
        assertEquals(Boolean.FALSE, app.getValue("aks-headroom.demo.enabled", Boolean.class));
        String bootstrap = app.getValue("kafka.bootstrap.servers", String.class);
        assertFalse(bootstrap.contains(".invalid"), "the overlay names its Kafka: " + bootstrap);
        // Every variable is one Quarkus reads: a Kafka client property, or a property of the app.
        config.getData().keySet().forEach(key -> assertTrue(key.startsWith("KAFKA_") || key.startsWith("AKS_HEADROOM_"), key));
    }

    @Test
    void theBaseLeavesTheClusterIdToTheOverlaySoAForgottenOneStopsTheApp() {
        ConfigMap config = Rendered.of(BASE).one(ConfigMap.class);
        NodeWatcherConfig watcher = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(config.getData(), 300))
                .withMapping(NodeWatcherConfig.class).build().getConfigMapping(NodeWatcherConfig.class);
        assertTrue(watcher.enabled());
        assertEquals(Optional.empty(), watcher.clusterId());
        assertTrue(config.getData().get("KAFKA_BOOTSTRAP_SERVERS").contains(".invalid"));
    }

    @Test
    void theExampleSetsEverythingAnOverlayMust() {
        Rendered rendered = Rendered.of(EXAMPLE);
        Namespace namespace = rendered.one(Namespace.class);
        assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        rendered.objects().stream()
                .filter(object -> !(object instanceof Namespace || object instanceof ClusterRole || object instanceof ClusterRoleBinding))
                .forEach(object -> assertEquals(namespace.getMetadata().getName(), object.getMetadata().getNamespace(),
                        object.getKind() + " " + object.getMetadata().getName()));

        String image = rendered.container().getImage();
        assertTrue(image.matches("[a-z0-9.-]+\\.[a-z]+/[a-z0-9/-]+:[A-Za-z0-9._-]+") && !image.endsWith(":latest"),
                "a registry, a repository and a fixed tag: " + image);
        assertNotEquals("00000000-0000-0000-0000-000000000000",
                rendered.one(ServiceAccount.class).getMetadata().getAnnotations().get("azure.workload.identity/client-id"));
    }

    @Test
    void theKafkaSecretTemplateIsTheSecretTheDeploymentReadsAndHoldsNoRealCredential() throws IOException {
        Secret secret = (Secret) StrictKubernetes.parse(YAML.readTree(K8S.resolve("templates/kafka-credentials.secret.yaml").toFile()));
        List<String> optionalSecrets = Rendered.of(EXAMPLE).container().getEnvFrom().stream()
                .map(EnvFromSource::getSecretRef).filter(Objects::nonNull)
                .peek(ref -> assertEquals(Boolean.TRUE, ref.getOptional(), "a Kafka in the clear needs no Secret"))
                .map(ref -> ref.getName()).toList();
        assertEquals(List.of(secret.getMetadata().getName()), optionalSecrets);
        assertTrue(secret.getData() == null || secret.getData().isEmpty(), "stringData only, readable as a template");
        secret.getStringData().forEach((key, value) -> {
            assertTrue(key.startsWith("KAFKA_"), "a Kafka client property: " + key);
            assertFalse(value.contains("SharedAccessKey="), "no real connection string in git: " + key);
        });
        assertTrue(secret.getStringData().get("KAFKA_SASL_JAAS_CONFIG").contains("<connection string"), "a placeholder");
    }

    @Test
    void everyManifestInTheBaseIsListedSoAddingOneIsOneLine() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve(BASE).resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.get("resources").forEach(resource -> listed.add(resource.asText()));
        Set<String> files;
        try (Stream<Path> paths = Files.list(K8S.resolve(BASE))) {
            files = paths.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, listed);
    }

    private static void assertProbe(String path, Probe probe) {
        assertNotNull(probe, path);
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("http", probe.getHttpGet().getPort().getStrVal());
    }

    private static void assertSelects(Map<String, String> selector, Map<String, String> labels) {
        assertFalse(selector == null || selector.isEmpty(), "an empty selector selects everything");
        selector.forEach((key, value) -> assertEquals(value, labels.get(key), "label " + key + " of " + labels));
    }

    private static Set<String> ports(List<NetworkPolicyPort> ports) {
        List<String> described = new ArrayList<>();
        for (NetworkPolicyPort port : ports) {
            assertNull(port.getEndPort(), "single ports, no ranges");
            described.add(Optional.ofNullable(port.getProtocol()).orElse("TCP") + "/" + port.getPort().getIntVal());
        }
        return new TreeSet<>(described);
    }
}
