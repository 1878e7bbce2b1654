package io.aksheadroom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles against what {@code ./mvnw package} really leaves in {@code target/}. A failsafe test, so it runs in
 * {@code verify} after {@code package}: no Docker engine runs here, but a COPY of a path the build does not produce,
 * or one the {@code .dockerignore} keeps out of the context, is what breaks {@code docker build}, and that shows
 * without an engine.
 */
class DockerfilesIT {

    private static final Path CONTEXT = Path.of("").toAbsolutePath();
    private static final Path FAST_JAR = CONTEXT.resolve("target/quarkus-app");
    /** A listing of the dependencies for people; nothing reads it at run time, so the image leaves it out. */
    private static final String DEPENDENCY_LISTING = "quarkus-app-dependencies.txt";
    /** The one script of the image, the same on every base: it starts the JVM with the container's flags. */
    private static final String ENTRYPOINT = "/usr/local/bin/aks-headroom";

    private final DockerIgnore ignore = DockerIgnore.read(CONTEXT.resolve(".dockerignore"));

    @Test
    void jvmImageHoldsExactlyTheFastJarThatPackageProducesAndItsEntryPoint() throws IOException {
        Dockerfile dockerfile = Dockerfile.read(CONTEXT.resolve("src/main/docker/Dockerfile.jvm"));

        Map<String, Path> image = new TreeMap<>();
        for (Dockerfile.Copy copy : dockerfile.copies()) {
            assertTrue(copy.from().isEmpty(), "copies from the build context only: " + copy);
            assertTrue(copy.chown().isEmpty(), "the service's user may not own its code: " + copy);
            for (String source : copy.sources()) {
                List<Path> matches = expand(source);
                assertFalse(matches.isEmpty(), "COPY " + source + " matches nothing under " + CONTEXT
                        + " after package");
                matches.forEach(path -> image.put(destination(copy.destination(), path), path));
            }
        }
        image.values().forEach(this::assertSentToTheBuilder);

        Set<String> expected;
        try (Stream<Path> entries = Files.list(FAST_JAR)) {
            expected = entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.equals(DEPENDENCY_LISTING))
                    .map(name -> "/deployments/" + name)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        expected.add(ENTRYPOINT);
        assertEquals(expected, image.keySet(), "the image mirrors target/quarkus-app under /deployments, plus its"
                + " entry point");
        assertEquals(CONTEXT.resolve("src/main/docker/entrypoint.sh"), image.get(ENTRYPOINT));
        assertTrue(Files.isExecutable(image.get(ENTRYPOINT)), "COPY keeps the mode: the entry point must be executable");
        assertTrue(Files.readString(image.get(ENTRYPOINT)).contains("-jar /deployments/quarkus-run.jar"));
        assertTrue(image.containsKey("/deployments/quarkus-run.jar"));

        assertEquals(List.of("[ \"" + ENTRYPOINT + "\" ]"), dockerfile.arguments("ENTRYPOINT"));
        assertEquals(List.of("/deployments"), dockerfile.arguments("WORKDIR"), "where config/application.properties"
                + " is looked for");
        assertEquals(List.of("185"), dockerfile.arguments("USER"));
        List<String> base = dockerfile.arguments("ARG").stream().filter(arg -> arg.startsWith("BASE_IMAGE=")).toList();
        assertEquals(1, base.size(), "one BASE_IMAGE build argument: " + dockerfile.arguments("ARG"));
        assertTrue(base.get(0).startsWith("BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:"),
                "UBI 9, Java 17 by default: " + base);
        assertEquals(List.of("${BASE_IMAGE}"), dockerfile.arguments("FROM"));
        assertEquals(List.of("8080"), dockerfile.arguments("EXPOSE"));
    }

    @Test
    void nativeImageCopiesTheExecutableTheNativeBuildNames() {
        Dockerfile dockerfile = Dockerfile.read(CONTEXT.resolve("src/main/docker/Dockerfile.native"));
        List<Dockerfile.Copy> copies = dockerfile.copies();
        assertEquals(1, copies.size(), "one COPY: the executable");
        Dockerfile.Copy copy = copies.get(0);
        assertEquals(List.of("target/*-runner"), copy.sources());
        assertEquals("/work/application", copy.destination());

        // A JVM build makes no executable, so check the name the pom gives the native one (failsafe passes it).
        Path executable = CONTEXT.relativize(Path.of(System.getProperty("native.image.path")));
        assertTrue(FileSystems.getDefault().getPathMatcher("glob:target/*-runner").matches(executable),
                "COPY target/*-runner matches the native executable " + executable);
        assertTrue(ignore.sends(slashes(executable)), ".dockerignore lets " + executable + " into the context");

        assertEquals(List.of("/work/"), dockerfile.arguments("WORKDIR"));
        assertEquals(List.of("[\"./application\", \"-Dquarkus.http.host=0.0.0.0\"]"), dockerfile.arguments("ENTRYPOINT"));
        assertEquals(List.of("1001"), dockerfile.arguments("USER"));
    }

    @Test
    void dockerignoreKeepsSourcesAndHistoryOutOfTheContext() {
        for (String path : List.of("src/main/java/io/aksheadroom/config/Channels.java", ".git/config", "pom.xml",
                "k8s/base/kustomization.yaml", "target/classes/application.properties", "target/surefire-reports/x.txt")) {
            assertFalse(ignore.sends(path), path + " stays out of the build context");
        }
    }

    private List<Path> expand(String source) throws IOException {
        Path path = CONTEXT.resolve(source);
        String name = path.getFileName().toString();
        if (!name.contains("*") && !name.contains("?")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (Stream<Path> siblings = Files.list(path.getParent())) {
            return siblings.filter(sibling -> matcher.matches(sibling.getFileName())).sorted().toList();
        }
    }

    /**
     * Where COPY puts a source: a directory's contents go into the destination; a file into it by name when the
     * destination ends with a slash, else to the destination itself (a rename).
     */
    private static String destination(String destination, Path source) {
        if (Files.isDirectory(source)) {
            return destination.endsWith("/") ? destination.substring(0, destination.length() - 1) : destination;
        }
        return destination.endsWith("/") ? destination + source.getFileName() : destination;
    }

    private void assertSentToTheBuilder(Path source) {
        try (Stream<Path> files = Files.walk(source)) {
            files.filter(Files::isRegularFile).map(file -> slashes(CONTEXT.relativize(file)))
                    .forEach(file -> assertTrue(ignore.sends(file), ".dockerignore keeps " + file + " out of the context"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}
