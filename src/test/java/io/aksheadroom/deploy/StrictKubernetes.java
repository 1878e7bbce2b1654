package io.aksheadroom.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Manifests into fabric8's typed Kubernetes model, refusing what the model does not know. fabric8 keeps unknown
 * fields in each object's {@code additionalProperties} (its {@code @JsonAnySetter}), so a misspelt
 * {@code readOnlyRootFileSystem} would parse and the API server would drop it in silence, or refuse it under
 * {@code --validate=strict}. With the any-setters ignored, an unknown field has nowhere to go and
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} fails the parse. A value of the wrong type that fabric8 still reads (its
 * integers take strings) fails the round trip: the object written back differs from the manifest.
 */
final class StrictKubernetes {

    /** The kinds the manifests may hold that Kubernetes itself defines, each to its typed class. */
    static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
            Map.entry("Namespace", Namespace.class),
            Map.entry("ServiceAccount", ServiceAccount.class),
            Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("Secret", Secret.class),
            Map.entry("Service", Service.class),
            Map.entry("Deployment", Deployment.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("NetworkPolicy", NetworkPolicy.class),
            Map.entry("ClusterRole", ClusterRole.class),
            Map.entry("ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("Role", Role.class),
            Map.entry("RoleBinding", RoleBinding.class));

    /** The Prometheus Operator's kinds: custom resources fabric8 has no model for, parsed generically. */
    static final Set<String> CUSTOM = Set.of("ServiceMonitor", "PrometheusRule");

    private static final KubernetesSerialization STRICT = new KubernetesSerialization(strictMapper(), false);
    private static final KubernetesSerialization LENIENT = new KubernetesSerialization();

    private StrictKubernetes() {
    }

    static HasMetadata parse(JsonNode manifest) {
        String kind = manifest.path("kind").asText();
        if (CUSTOM.contains(kind)) {
            return LENIENT.convertValue(manifest, GenericKubernetesResource.class);
        }
        Class<? extends HasMetadata> type = TYPED.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("no typed model for kind '" + kind + "': add it to StrictKubernetes.TYPED");
        }
        HasMetadata parsed = STRICT.convertValue(manifest, type);
        // fabric8 reads "2" into an int field (as Go's own client would not); writing the object back shows it.
        JsonNode written = STRICT.convertValue(parsed, JsonNode.class);
        if (!written.equals(manifest)) {
            throw new IllegalArgumentException(kind + " " + parsed.getMetadata().getName()
                    + " does not survive a round trip through the model: " + JsonDiff.asJson(manifest, written));
        }
        String expected = HasMetadata.getApiVersion(type);
        if (!expected.equals(parsed.getApiVersion())) {
            throw new IllegalArgumentException(kind + " " + parsed.getMetadata().getName() + " is "
                    + parsed.getApiVersion() + ", the model knows it as " + expected);
        }
        return parsed;
    }

    static List<HasMetadata> parseAll(List<JsonNode> manifests) {
        return manifests.stream().map(StrictKubernetes::parse).collect(Collectors.toList());
    }

    /** What the lenient default makes of a manifest: to show the strict parse is what catches a misspelling. */
    static <T> T parseLeniently(JsonNode manifest, Class<T> type) {
        return LENIENT.convertValue(manifest, type);
    }

    private static ObjectMapper strictMapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated annotated) {
                        return Boolean.FALSE;
                    }
                })
                .build();
    }
}
