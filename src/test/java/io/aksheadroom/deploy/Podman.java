package io.aksheadroom.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, with the settings of {@code src/main/docker/podman/containers.conf}. Never a skip when
 * podman is missing: an image nobody ran is how a broken one ships, so the test fails and says how to get it.
 */
final class Podman {

    static final Path CONFIG = Path.of("src/main/docker/podman/containers.conf").toAbsolutePath();
    static final String INSTALL = "apt-get update && apt-get install -y --no-install-recommends podman runc mmdebstrap";

    private final Path binary;

    private Podman(Path binary) {
        this.binary = binary;
    }

    /** Podman from the PATH, or a failed test saying how to install it. */
    static Podman require() {
        return new Podman(onPath("podman").orElseGet(() -> fail("'podman' is not on the PATH. The image test builds"
                + " and runs the container image with podman (as root, no registry needed): install it with '"
                + INSTALL + "', or run src/main/docker/image-test.sh, which installs it and runs this test.")));
    }

    static Optional<Path> onPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** How a command ended: its exit code, its standard output and its standard error. */
    record Result(int exitCode, String out, String err) {

        boolean succeeded() {
            return exitCode == 0;
        }

        /** The standard output, trimmed, after checking that the command succeeded. */
        String outOrFail(List<String> command) {
            if (exitCode != 0) {
                fail(String.join(" ", command) + " failed with " + exitCode + ":\n" + err + out);
            }
            return out.strip();
        }
    }

    /** Runs {@code podman <arguments>} to its end; at most {@code timeout}. */
    Result run(Duration timeout, String... arguments) {
        List<String> command = command(arguments);
        return execute(command, timeout);
    }

    /** Runs {@code podman <arguments>} and returns its trimmed output, failing the test when it fails. */
    String check(Duration timeout, String... arguments) {
        return run(timeout, arguments).outOrFail(command(arguments));
    }

    List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /** Runs any command with podman's configuration in its environment (the base image script calls podman too). */
    static Result execute(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("aks-headroom-podman-", ".out");
            Path err = Files.createTempFile("aks-headroom-podman-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().put("CONTAINERS_CONF", CONFIG.toString());
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return fail(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + String.join(" ", command));
        }
    }
}
