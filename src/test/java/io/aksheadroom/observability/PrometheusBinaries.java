package io.aksheadroom.observability;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} package: the server and {@code promtool}. Never a skip when missing: CI installs the
 * package ({@code .ci/run}), and an unchecked rule or dashboard is how a silent alert ships.
 */
final class PrometheusBinaries {

    private PrometheusBinaries() {
    }

    /** The named binary on the PATH, or a failed test saying how to get it. */
    static Path require(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + name + "' is not on the PATH. These checks run a real Prometheus: install Debian's package"
                + " with 'apt-get update && apt-get install -y --no-install-recommends prometheus' (.ci/run does"
                + " this on CI) and do not start its service; the tests start their own on loopback ports.");
    }

    /** Runs a command to its end (at most {@code seconds}); its exit code and its output, stderr included. */
    record Result(int exitCode, String output) {
    }

    static Result run(int seconds, String... command) {
        try {
            Path log = Files.createTempFile("aks-headroom-", ".log");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return fail(String.join(" ", command) + " did not finish within " + seconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + String.join(" ", command));
        }
    }
}
