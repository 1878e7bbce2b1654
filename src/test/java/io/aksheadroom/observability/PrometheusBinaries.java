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
 * Debian's {@code prometheus} package: the server and {@code promtool}. Taken from the PATH when there, else fetched
 * once into {@code target/prometheus} without root by {@code src/test/scripts/prometheus-binaries.sh}, so that
 * {@code ./mvnw -B verify} needs no set-up by hand. Never a skip when neither works: an unchecked rule or dashboard is
 * how a silent alert ships.
 */
final class PrometheusBinaries {

    private static final Path FETCH = Path.of("src/test/scripts/prometheus-binaries.sh");
    private static final Path FETCHED = Path.of("target/prometheus");
    /** apt's index and the package are about 30 MB; minutes only on a very slow mirror. */
    private static final int FETCH_SECONDS = 600;

    private PrometheusBinaries() {
    }

    /** The named binary: from the PATH, or fetched; a failed test saying what is missing when neither works. */
    static synchronized Path require(String name) {
        Path onPath = onPath(name);
        if (onPath != null) {
            return onPath;
        }
        Path fetched = FETCHED.resolve("usr/bin").resolve(name).toAbsolutePath();
        if (!Files.isExecutable(fetched)) {
            Result fetch = run(FETCH_SECONDS, "bash", FETCH.toString(), FETCHED.toString());
            if (fetch.exitCode() != 0 || !Files.isExecutable(fetched)) {
                return fail("'" + name + "' is not on the PATH and could not be fetched (" + FETCH + " exited with "
                        + fetch.exitCode() + "):\n" + fetch.output());
            }
            System.out.print(fetch.output());
        }
        return fetched;
    }

    private static Path onPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
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
