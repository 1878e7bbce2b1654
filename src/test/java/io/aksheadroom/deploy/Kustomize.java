package io.aksheadroom.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize}, the renderer every SRE has: the manifests are checked as the cluster will receive them,
 * not as they sit in their files.
 */
final class Kustomize {

    /** Set to the kubectl to run when it is not the one on the PATH. */
    static final String KUBECTL_VARIABLE = "KUBECTL";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The objects {@code kubectl kustomize <directory>} renders, in its order. */
    static List<JsonNode> render(Path directory) {
        String kubectl = System.getenv().getOrDefault(KUBECTL_VARIABLE, "kubectl");
        Process process;
        try {
            process = new ProcessBuilder(kubectl, "kustomize", directory.toString()).start();
        } catch (IOException e) {
            // Not a skip: CI machines have kubectl, and an unchecked manifest is how a broken deployment ships.
            return fail("The manifest checks need kubectl (with its built-in kustomize, kubectl 1.27 or later) on the PATH,"
                    + " or its path in the " + KUBECTL_VARIABLE + " environment variable: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            // Drain both streams while kubectl runs: a full pipe would block it forever.
            InputStream errors = process.getErrorStream();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(errors.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(stderr unreadable: " + e + ")";
                }
            });
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("kubectl kustomize " + directory + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                return fail("kubectl kustomize " + directory + " failed (" + process.exitValue() + "):\n" + err.join());
            }
            return YAML.readValues(YAML.getFactory().createParser(out), JsonNode.class).readAll().stream()
                    .filter(node -> !node.isNull() && !node.isMissingNode()).toList();
        } catch (IOException e) {
            return fail("reading the output of kubectl kustomize " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while kubectl kustomize " + directory + " ran");
        }
    }
}
