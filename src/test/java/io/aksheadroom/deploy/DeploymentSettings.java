package io.aksheadroom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the Deployment of a kustomization runs its container, read from what {@code kubectl kustomize} renders and
 * turned into podman's terms: the security settings, the {@code emptyDir} mounts, the environment (the generated
 * ConfigMap and the container's {@code env}), the resource limits, the probes and the grace period. A setting this
 * class does not know fails the reading, so a manifest change that would make the image test run the container
 * otherwise than a cluster does cannot pass unnoticed.
 */
record DeploymentSettings(boolean runAsNonRoot, boolean readOnlyRootFilesystem, boolean allowPrivilegeEscalation,
        List<String> droppedCapabilities, Map<String, Long> emptyDirs, Map<String, String> environment,
        long memoryLimitBytes, BigDecimal cpuLimit, Duration terminationGracePeriod, Map<String, Probe> probes) {

    /** An HTTP probe: its path, and how long it may fail before the kubelet acts. */
    record Probe(String path, Duration budget) {
    }

    /** What a Pod's spec may hold without changing how its container runs on one node. */
    private static final Set<String> POD_FIELDS = Set.of("serviceAccountName", "automountServiceAccountToken",
            "securityContext", "topologySpreadConstraints", "containers", "volumes", "terminationGracePeriodSeconds",
            "affinity", "nodeSelector", "tolerations", "priorityClassName");
    private static final Set<String> POD_SECURITY = Set.of("runAsNonRoot", "seccompProfile");
    private static final Set<String> CONTAINER_FIELDS = Set.of("name", "image", "imagePullPolicy", "ports", "envFrom",
            "env", "resources", "startupProbe", "livenessProbe", "readinessProbe", "securityContext", "volumeMounts");
    private static final Set<String> CONTAINER_SECURITY = Set.of("allowPrivilegeEscalation", "readOnlyRootFilesystem",
            "capabilities");
    /** Kubernetes' default when a pod sets none. */
    private static final long DEFAULT_GRACE_SECONDS = 30;

    static DeploymentSettings of(Path kustomization) {
        List<JsonNode> objects = Kustomize.render(kustomization);
        JsonNode deployment = one(objects, "Deployment");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        only(pod, POD_FIELDS, "the pod spec");
        JsonNode podSecurity = pod.path("securityContext");
        only(podSecurity, POD_SECURITY, "the pod's securityContext");
        if (podSecurity.has("seccompProfile")) {
            // Podman applies its default seccomp filter unless told otherwise: the runtime's default, as on a node.
            assertEquals("RuntimeDefault", podSecurity.path("seccompProfile").path("type").asText(),
                    "the seccomp profile podman applies is the runtime's default");
        }
        assertEquals(1, pod.path("containers").size(), "one container");
        JsonNode container = pod.path("containers").get(0);
        only(container, CONTAINER_FIELDS, "the container");
        JsonNode security = container.path("securityContext");
        only(security, CONTAINER_SECURITY, "the container's securityContext");
        only(security.path("capabilities"), Set.of("drop"), "the container's capabilities");
        List<String> dropped = new ArrayList<>();
        security.path("capabilities").path("drop").forEach(capability -> dropped.add(capability.asText()));

        Map<String, Long> emptyDirs = new LinkedHashMap<>();
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        pod.path("volumes").forEach(volume -> volumes.put(volume.path("name").asText(), volume));
        for (JsonNode mount : container.path("volumeMounts")) {
            only(mount, Set.of("name", "mountPath"), "a volume mount");
            JsonNode volume = volumes.get(mount.path("name").asText());
            only(volume, Set.of("name", "emptyDir"), "volume " + mount.path("name").asText());
            JsonNode limit = volume.path("emptyDir").path("sizeLimit");
            emptyDirs.put(mount.path("mountPath").asText(),
                    limit.isMissingNode() ? Long.MAX_VALUE : bytes(limit.asText()));
        }

        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                String name = source.path("configMapRef").path("name").asText();
                JsonNode configMap = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                        && o.path("metadata").path("name").asText().equals(name)).findFirst()
                        .orElseGet(() -> fail("ConfigMap " + name + " is not in the kustomization"));
                configMap.path("data").fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
            } else if (source.has("secretRef")) {
                // Credentials the cluster may hold: optional, and none are needed by a broker in the clear.
                assertTrue(source.path("secretRef").path("optional").asBoolean(), "only optional Secrets: " + source);
            } else {
                fail("an envFrom source of a kind the image test cannot give the container: " + source);
            }
        }
        // env comes after envFrom and wins over it, as in Kubernetes.
        for (JsonNode variable : container.path("env")) {
            only(variable, Set.of("name", "value"), "an env entry");
            environment.put(variable.path("name").asText(), variable.path("value").asText());
        }

        JsonNode limits = container.path("resources").path("limits");
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode probe = container.path(kind);
            if (!probe.isMissingNode()) {
                probes.put(kind, new Probe(probe.path("httpGet").path("path").asText(), Duration.ofSeconds(
                        probe.path("periodSeconds").asLong(10) * probe.path("failureThreshold").asLong(3))));
            }
        }
        return new DeploymentSettings(podSecurity.path("runAsNonRoot").asBoolean(false),
                security.path("readOnlyRootFilesystem").asBoolean(false),
                security.path("allowPrivilegeEscalation").asBoolean(true), List.copyOf(dropped), emptyDirs,
                environment, bytes(limits.path("memory").asText()),
                new Quantity(limits.path("cpu").asText()).getNumericalAmount(),
                Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS)), probes);
    }

    /**
     * The options of {@code podman run} that give the container these settings; the emptyDir volumes are mounted
     * from {@code volumes} (mount path to a host directory). The user is the image's own: the manifests set no
     * runAsUser, so what runs is what the image's USER says, which {@link #runAsNonRoot} requires to be non-root.
     */
    List<String> podmanOptions(Map<String, Path> volumes) {
        List<String> options = new ArrayList<>();
        if (readOnlyRootFilesystem) {
            // --read-only alone would add writable tmpfs on /tmp, /var/tmp and /run: only the manifest's mounts.
            options.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        if (!allowPrivilegeEscalation) {
            options.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        droppedCapabilities.forEach(capability -> options.addAll(List.of("--cap-drop", capability)));
        assertEquals(emptyDirs.keySet(), volumes.keySet(), "a host directory for every emptyDir");
        volumes.forEach((mountPath, directory) -> options.addAll(List.of("--volume", directory + ":" + mountPath)));
        options.addAll(List.of("--memory", Long.toString(memoryLimitBytes), "--cpus", cpuLimit.toPlainString()));
        return options;
    }

    Probe probe(String kind) {
        Probe probe = probes.get(kind);
        if (probe == null) {
            return fail("the Deployment has no " + kind);
        }
        return probe;
    }

    private static long bytes(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact();
    }

    private static JsonNode one(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "exactly one " + kind);
        return found.get(0);
    }

    private static void only(JsonNode node, Set<String> known, String what) {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), what + " sets " + unknown + ", which the image test does not give the container:"
                + " teach DeploymentSettings how podman does the same, so the test keeps running it as a cluster would");
    }
}
