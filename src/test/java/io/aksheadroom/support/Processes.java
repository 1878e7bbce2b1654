package io.aksheadroom.support;

import java.util.concurrent.TimeUnit;

/** The OS processes a test starts: services and brokers. */
final class Processes {

    private Processes() {
    }

    /** Waits for a process told to end to be gone; one that ignores SIGTERM for a minute is killed. */
    static void awaitExit(Process process) {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
