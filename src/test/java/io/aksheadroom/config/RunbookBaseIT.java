package io.aksheadroom.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.ServiceProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The packaged service with a runbook base that is no web address: it stops at once, naming the property. */
class RunbookBaseIT {

    @Test
    void aBaseThatIsNoWebAddressStopsTheServiceBeforeItListens() throws IOException {
        String name = "runbook-base-refused";
        // No broker at that address: the service must give up on its configuration before it needs one.
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ServiceProcess.start(name,
                "127.0.0.1:9", Map.of("aks-headroom.alerts.runbook-base-url", "docs/runbooks")));
        assertTrue(refused.getMessage().contains("exited with 1"), refused.getMessage());
        String log = Files.readString(Path.of("target", "it-logs", name + ".log"));
        assertTrue(log.contains("aks-headroom.alerts.runbook-base-url: the runbooks' base must be an absolute http(s)"
                + " URL, not 'docs/runbooks'"), log);
    }
}
