package io.aksheadroom.monitor;

import io.aksheadroom.capacity.Severity;

import static io.aksheadroom.monitor.AlertRules.SNAT_PORTS_HIGH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/** Reconciling one subject's alerts through the by-subject index, against every path that changes what fires. */
class AlertBookTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final Predicate<Alert> ANY = alert -> true;
    private final AlertBook book = new AlertBook("c1", Duration.ofMinutes(5));

    private static AlertCondition high(String subject) {
        return new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", Severity.WARNING, subject, subject + " is busy", 0.8, 0.75);
    }

    @Test
    void aSubjectsReconcileResolvesItsOwnAlertsAndLeavesOthersFiring() {
        book.reconcileSubject(T0, "10.0.0.4/TCP", ANY, List.of(high("10.0.0.4/TCP")));
        book.reconcileSubject(T0, "10.0.0.5/TCP", ANY, List.of(high("10.0.0.5/TCP")));

        List<Alert> out = book.reconcileSubject(T0.plusSeconds(60), "10.0.0.4/TCP", ANY, List.of());

        assertEquals(1, out.size());
        assertEquals(AlertStatus.RESOLVED, out.get(0).status());
        assertEquals("10.0.0.4/TCP", out.get(0).subject());
        assertEquals(List.of("10.0.0.5/TCP"), book.firing().stream().map(Alert::subject).toList());
        assertTrue(book.reconcileSubject(T0.plusSeconds(120), "10.0.0.4/TCP", ANY, List.of()).isEmpty(),
                "a resolved alert resolves once");
    }

    @Test
    void theWholeBookAndTheSubjectIndexAgreeAfterAFullReconcile() {
        book.reconcileSubject(T0, "10.0.0.4/TCP", ANY, List.of(high("10.0.0.4/TCP")));
        assertEquals(1, book.reconcile(T0.plusSeconds(60), ANY, List.of()).size());

        List<Alert> again = book.reconcileSubject(T0.plusSeconds(120), "10.0.0.4/TCP", ANY,
                List.of(high("10.0.0.4/TCP")));

        assertEquals(1, again.size(), "resolved by the full reconcile, so it fires as a new episode");
        assertEquals(T0.plusSeconds(120), again.get(0).startsAt());
    }

    @Test
    void aRestoredAlertIsFoundByItsSubjectAndARestoredResolutionRemovesIt() {
        Alert firing = Alert.firing("c1", high("10.0.0.4/TCP"), T0, T0);
        book.restore(firing);
        List<Alert> resolved = book.reconcileSubject(T0.plusSeconds(60), "10.0.0.4/TCP", ANY, List.of());
        assertEquals(1, resolved.size());

        book.restore(firing.resendAt(T0.plusSeconds(90)));
        book.restore(firing.resolvedAt(T0.plusSeconds(100)));
        assertTrue(book.reconcileSubject(T0.plusSeconds(120), "10.0.0.4/TCP", ANY, List.of()).isEmpty());
        assertEquals(0, book.firingCount());
    }

    @Test
    void resolvingEverythingEmptiesTheIndexToo() {
        book.reconcileSubject(T0, "10.0.0.4/TCP", ANY, List.of(high("10.0.0.4/TCP")));
        assertEquals(1, book.resolveAll(T0.plusSeconds(60)).size());

        List<Alert> again = book.reconcileSubject(T0.plusSeconds(120), "10.0.0.4/TCP", ANY,
                List.of(high("10.0.0.4/TCP")));
        assertEquals(1, again.size());
        assertEquals(AlertStatus.FIRING, again.get(0).status());
        assertEquals(1, book.reconcileSubject(T0.plusSeconds(180), "10.0.0.4/TCP", ANY, List.of()).size());
    }

    /** A condition's summary is written when its alert fires or changes severity, never for one already firing. */
    @Test
    void summariesAreWrittenOnlyForWhatIsPublished() {
        List<String> written = new ArrayList<>();
        Function<Severity, AlertCondition> busy = severity -> new AlertCondition(SNAT_PORTS_HIGH, "SNAT-7", severity,
                "10.0.0.4/TCP", () -> {
                    written.add(severity.name());
                    return "busy (" + severity + ")";
                }, 0.8, 0.75);

        List<Alert> fired = book.reconcileSubject(T0, "10.0.0.4/TCP", ANY, List.of(busy.apply(Severity.WARNING)));
        assertEquals("busy (WARNING)", fired.get(0).summary());
        for (int i = 1; i <= 3; i++) {
            assertTrue(book.reconcileSubject(T0.plusSeconds(60 * i), "10.0.0.4/TCP", ANY,
                    List.of(busy.apply(Severity.WARNING))).isEmpty());
        }
        List<Alert> escalated = book.reconcileSubject(T0.plusSeconds(240), "10.0.0.4/TCP", ANY,
                List.of(busy.apply(Severity.CRITICAL)));

        assertEquals("busy (CRITICAL)", escalated.get(0).summary());
        assertEquals(List.of("WARNING", "CRITICAL"), written);
    }
}
