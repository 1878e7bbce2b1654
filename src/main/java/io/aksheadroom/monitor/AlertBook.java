package io.aksheadroom.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The alert lifecycle of one cluster, in event time: which fingerprints fire, since when, and when each was last sent.
 * Scopes let a caller reconcile only the alerts it evaluated (one backend's, or the plan's) without touching others.
 */
public final class AlertBook {

    private final String clusterId;
    private final Duration resendInterval;
    private final Map<String, Alert> firing = new HashMap<>();
    /**
     * The fingerprints of {@link #firing} by subject, so reconciling one backend looks at that backend's alerts only:
     * a cluster of 5,000 nodes with hundreds of alerts firing must not scan them all on every sample.
     */
    private final Map<String, Set<String>> firingBySubject = new HashMap<>();
    /** Firing on the alerts topic's word only, since a settle: resolved by {@link #confirm} unless a condition says so. */
    private final Set<String> unconfirmed = new HashSet<>();
    /**
     * The fingerprints of the conditions whose alerts fire, so a condition that keeps holding (a busy backend, sample
     * after sample) is not hashed again each time. An entry goes when its alert stops firing.
     */
    private final Map<ConditionKey, String> fingerprints = new HashMap<>();
    private Instant nextResendDue;

    public AlertBook(String clusterId, Duration resendInterval) {
        this.clusterId = clusterId;
        this.resendInterval = resendInterval;
    }

    /**
     * Makes the firing alerts within {@code scope} match {@code active}: new conditions fire, a changed severity is
     * sent at once, vanished ones resolve. Returns the records to publish.
     */
    public List<Alert> reconcile(Instant at, Predicate<Alert> scope, Collection<AlertCondition> active) {
        return reconcile(at, firing::values, scope, active);
    }

    /**
     * {@link #reconcile(Instant, Predicate, Collection)} within the alerts of one {@code subject}: the cost follows
     * that subject's alerts, not every alert firing in the cluster.
     */
    public List<Alert> reconcileSubject(Instant at, String subject, Predicate<Alert> scope,
            Collection<AlertCondition> active) {
        if (active.isEmpty() && !firingBySubject.containsKey(subject)) {
            return List.of(); // nothing holds and nothing fires: the usual sample of a quiet backend
        }
        return reconcile(at, () -> {
            Set<String> fingerprints = firingBySubject.getOrDefault(subject, Set.of());
            List<Alert> alerts = new ArrayList<>(fingerprints.size());
            fingerprints.forEach(fingerprint -> alerts.add(firing.get(fingerprint)));
            return alerts;
        }, scope, active);
    }

    /** {@code candidates} are read after the new conditions fired: the firing alerts that may have to resolve. */
    private List<Alert> reconcile(Instant at, Supplier<Collection<Alert>> candidates, Predicate<Alert> scope,
            Collection<AlertCondition> active) {
        List<Alert> out = new ArrayList<>();
        Map<String, AlertCondition> wanted = new LinkedHashMap<>();
        for (AlertCondition condition : active) {
            wanted.putIfAbsent(fingerprints.computeIfAbsent(new ConditionKey(condition.alertname(), condition.rule(),
                    condition.subject()), key -> Alert.fingerprint(key.alertname(), key.rule(), clusterId,
                            key.subject())), condition);
        }
        for (Map.Entry<String, AlertCondition> entry : wanted.entrySet()) {
            unconfirmed.remove(entry.getKey());
            Alert current = firing.get(entry.getKey());
            if (current == null) {
                out.add(put(Alert.firing(clusterId, entry.getValue(), at, at)));
            } else if (current.severity() != entry.getValue().severity()) {
                out.add(put(Alert.firing(clusterId, entry.getValue(), current.startsAt(), at)));
            }
        }
        List<Alert> gone = new ArrayList<>();
        for (Alert alert : candidates.get()) {
            if (scope.test(alert) && !wanted.containsKey(alert.fingerprint())) {
                gone.add(alert);
            }
        }
        for (Alert alert : gone) {
            remove(alert.fingerprint());
            unconfirmed.remove(alert.fingerprint());
            out.add(alert.endAt(at));
        }
        return out;
    }

    /** Firing alerts whose last record is older than the resend interval, sent again; cheap when none is due. */
    public List<Alert> resendDue(Instant at) {
        if (nextResendDue == null || at.isBefore(nextResendDue)) {
            return List.of();
        }
        List<Alert> out = new ArrayList<>();
        for (Alert alert : List.copyOf(firing.values())) {
            if (!at.isBefore(alert.updatedAt().plus(resendInterval))) {
                out.add(put(alert.resendAt(at)));
            }
        }
        recomputeNextResend();
        return out;
    }

    /** Every firing alert resolves: the cluster is gone. */
    public List<Alert> resolveAll(Instant at) {
        List<Alert> out = new ArrayList<>();
        for (Alert alert : firing.values()) {
            out.add(alert.endAt(at));
        }
        firing.clear();
        firingBySubject.clear();
        fingerprints.clear();
        unconfirmed.clear();
        nextResendDue = null;
        return out;
    }

    /** Takes back a record read from the alerts topic, so a restart neither fires twice nor forgets a firing alert. */
    public void restore(Alert alert) {
        Alert known = firing.get(alert.fingerprint());
        if (known != null && known.updatedAt().isAfter(alert.updatedAt())) {
            return;
        }
        if (alert.isFiring()) {
            put(alert);
        } else {
            remove(alert.fingerprint());
        }
    }

    /**
     * Ends a silent replay: the book was rebuilt from the input topics, {@code published} is what the alerts topic
     * last said was firing. Alerts both agree on keep the published episode; the difference is what to publish.
     * Published alerts the rebuilt book lacks are not resolved yet but kept as unconfirmed: the previous owner may have
     * fired them from records it processed after the offsets it committed, which are read again after this;
     * {@link #confirm} resolves those that nothing confirmed by then.
     */
    public List<Alert> settle(Collection<Alert> published, Instant at) {
        Map<String, Alert> before = new HashMap<>();
        for (Alert alert : published) {
            if (alert.isFiring() && alert.clusterId().equals(clusterId)) {
                before.put(alert.fingerprint(), alert);
            }
        }
        List<Alert> out = new ArrayList<>();
        for (Alert rebuilt : List.copyOf(firing.values())) {
            Alert known = before.remove(rebuilt.fingerprint());
            if (known == null) {
                out.add(rebuilt);
            } else if (known.severity() != rebuilt.severity()) {
                out.add(put(new Alert(rebuilt.fingerprint(), AlertStatus.FIRING, rebuilt.alertname(), rebuilt.rule(),
                        rebuilt.severity(), clusterId, rebuilt.subject(), rebuilt.summary(), rebuilt.value(),
                        rebuilt.threshold(), known.startsAt(), null, rebuilt.updatedAt())));
            } else {
                put(known);
            }
        }
        for (Alert kept : before.values()) {
            put(kept);
            unconfirmed.add(kept.fingerprint());
        }
        recomputeNextResend();
        return out;
    }

    /** Resolves the alerts a settle kept on the topic's word that no condition has confirmed since. */
    public List<Alert> confirm(Instant at) {
        List<Alert> out = new ArrayList<>();
        for (String fingerprint : unconfirmed) {
            Alert alert = firing.get(fingerprint);
            remove(fingerprint);
            if (alert != null) {
                out.add(alert.endAt(at));
            }
        }
        unconfirmed.clear();
        recomputeNextResend();
        return out;
    }

    /** Fingerprints of the firing alerts a settle kept on the alerts topic's word and nothing confirmed yet. */
    public List<String> unconfirmed() {
        return List.copyOf(unconfirmed);
    }

    /** Takes back a book's firing alerts and unconfirmed fingerprints (a state snapshot) into an empty book. */
    public void restore(Collection<Alert> firingAlerts, Collection<String> unconfirmedFingerprints) {
        firingAlerts.forEach(this::put);
        unconfirmed.addAll(unconfirmedFingerprints);
        recomputeNextResend();
    }

    public List<Alert> firing() {
        return List.copyOf(firing.values());
    }

    public int firingCount() {
        return firing.size();
    }

    private Alert put(Alert alert) {
        firing.put(alert.fingerprint(), alert);
        firingBySubject.computeIfAbsent(alert.subject(), subject -> new HashSet<>()).add(alert.fingerprint());
        Instant due = alert.updatedAt().plus(resendInterval);
        if (nextResendDue == null || due.isBefore(nextResendDue)) {
            nextResendDue = due;
        }
        return alert;
    }

    private void remove(String fingerprint) {
        Alert removed = firing.remove(fingerprint);
        if (removed != null) {
            fingerprints.remove(new ConditionKey(removed.alertname(), removed.rule(), removed.subject()));
            Set<String> ofSubject = firingBySubject.get(removed.subject());
            ofSubject.remove(fingerprint);
            if (ofSubject.isEmpty()) {
                firingBySubject.remove(removed.subject());
            }
        }
    }

    private void recomputeNextResend() {
        nextResendDue = null;
        for (Alert alert : firing.values()) {
            Instant due = alert.updatedAt().plus(resendInterval);
            if (nextResendDue == null || due.isBefore(nextResendDue)) {
                nextResendDue = due;
            }
        }
    }

    /** What a fingerprint is made of, besides the cluster of this book. */
    private record ConditionKey(String alertname, String rule, String subject) {
    }
}
