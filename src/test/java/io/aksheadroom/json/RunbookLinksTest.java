package io.aksheadroom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.config.AlertsConfig;
import io.aksheadroom.monitor.AlertRules;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The address an alert record gives its runbook, from the configured base. */
class RunbookLinksTest {

    @Test
    void everyAlertLinksItsOwnPageUnderTheBase() {
        Runbooks runbooks = new Runbooks(URI.create(AlertsConfig.DEFAULT_RUNBOOK_BASE_URL));
        for (AlertRules alert : AlertRules.values()) {
            String url = runbooks.url(alert.alertname());
            assertEquals(AlertsConfig.DEFAULT_RUNBOOK_BASE_URL + "/" + alert.alertname() + ".md", url);
            assertTrue(Files.isRegularFile(Path.of("docs/runbooks", alert.runbook())), url);
        }
    }

    @Test
    void aBaseWithATrailingSlashGivesTheSameAddresses() {
        assertEquals("https://wiki.example.com/ops/runbooks/SnatTierDrop.md",
                new Runbooks(URI.create("https://wiki.example.com/ops/runbooks/")).url("SnatTierDrop"));
        assertEquals("http://runbooks.internal/SnatTierDrop.md",
                new Runbooks(URI.create("http://runbooks.internal")).url("SnatTierDrop"));
    }

    /** A record of an alert an older version raised is resolved by this one: its link must still lead somewhere. */
    @Test
    void aNameThisVersionDoesNotRaiseLinksTheIndex() {
        assertEquals("https://wiki.example.com/runbooks/README.md",
                new Runbooks(URI.create("https://wiki.example.com/runbooks")).url("RetiredAlert"));
        assertTrue(Files.isRegularFile(Path.of("docs/runbooks", Runbooks.INDEX)));
    }

    @Test
    void aBaseThatIsNoWebAddressIsRefused() {
        for (String base : new String[] {"docs/runbooks", "/docs/runbooks", "file:///srv/runbooks",
                "mailto:ops@example.com", "https:runbooks"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new Runbooks(URI.create(base)), base);
            assertTrue(refused.getMessage().contains(base), refused.getMessage());
        }
    }
}
