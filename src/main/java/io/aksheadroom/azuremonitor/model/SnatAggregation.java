package io.aksheadroom.azuremonitor.model;

import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.monitor.Protocol;
import io.aksheadroom.monitor.SnatSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SNAT-7: turns the load balancer's {@code AllocatedSnatPorts}, {@code UsedSnatPorts} (Average) and
 * {@code SnatConnectionCount} (Total, {@code ConnectionState = Failed}) series into one {@link SnatSample} per
 * backend, protocol and minute.
 * <ul>
 * <li>Per backend IP and protocol, the averages are summed over frontend IPs: extra outbound IPs are consumed one
 * at a time, so one frontend may carry all the use.</li>
 * <li>Series with {@code IsAwaitingRemoval = true} are left out (a backend leaving the pool).</li>
 * <li>TCP and UDP are allocated separately and are never added together.</li>
 * <li>A sample needs both figures for its minute; a minute with only one of them is skipped, not completed with
 * a guess.</li>
 * <li>{@code SnatConnectionCount} has no protocol dimension (its dimensions are frontend, backend and connection
 * state), so a backend's failed connections are carried by its TCP sample, or by its UDP sample when it has no TCP
 * one; the other sample says {@code null} (not reported) rather than repeating the count.</li>
 * </ul>
 */
public final class SnatAggregation {

    public static final String ALLOCATED = "AllocatedSnatPorts";
    public static final String USED = "UsedSnatPorts";
    public static final String CONNECTIONS = "SnatConnectionCount";
    public static final String BACKEND = "BackendIPAddress";
    public static final String FRONTEND = "FrontendIPAddress";
    public static final String PROTOCOL = "ProtocolType";
    public static final String AWAITING_REMOVAL = "IsAwaitingRemoval";
    public static final String CONNECTION_STATE = "ConnectionState";
    public static final String FAILED = "Failed";

    /** Why input did not become a sample; counted so a poller can report it. */
    public enum Skipped {
        /** A series of a backend that is leaving the pool. */
        AWAITING_REMOVAL,
        /** A series without a backend IP: it cannot be attributed to a node. */
        NO_BACKEND,
        /** A port series without a usable protocol: TCP and UDP must not be mixed, so it is not guessed. */
        NO_PROTOCOL,
        /** A backend minute with allocated ports but no used ports, or the other way round. */
        INCOMPLETE_MINUTE,
        /** A backend minute the sample record refuses (not an IPv4 address, figures out of range). */
        INVALID,
        /** Failed connections of a backend minute without port figures to carry them. */
        FAILURES_WITHOUT_PORTS
    }

    public record Result(List<SnatSample> samples, Map<Skipped, Integer> skipped) {

        public Result {
            samples = List.copyOf(samples);
            skipped = Map.copyOf(skipped);
        }

        public int skipped(Skipped reason) {
            return skipped.getOrDefault(reason, 0);
        }
    }

    private record PortKey(String backendIp, Protocol protocol, Instant at) {
    }

    private record BackendMinute(String backendIp, Instant at) {
    }

    private static final class Figures {
        Double allocated;
        Double used;
    }

    private SnatAggregation() {
    }

    /**
     * @param ports the {@code AllocatedSnatPorts} and {@code UsedSnatPorts} series of the cluster's load balancers
     * @param failedConnections the {@code SnatConnectionCount} series filtered to failed connections, or null when
     *        they could not be read (the samples then say {@code null}, not 0)
     * @param window only points of minutes inside it are used
     */
    public static Result aggregate(String clusterId, List<MetricSeries> ports, List<MetricSeries> failedConnections,
            MinuteWindow window) {
        Map<Skipped, Integer> skipped = new EnumMap<>(Skipped.class);
        Map<PortKey, Figures> figures = new HashMap<>();
        for (MetricSeries series : ports) {
            boolean allocated = ALLOCATED.equalsIgnoreCase(series.metric());
            if (!allocated && !USED.equalsIgnoreCase(series.metric())) {
                continue;
            }
            if ("true".equalsIgnoreCase(series.dimension(AWAITING_REMOVAL))) {
                count(skipped, Skipped.AWAITING_REMOVAL);
                continue;
            }
            String backend = series.dimension(BACKEND);
            if (backend == null) {
                count(skipped, Skipped.NO_BACKEND);
                continue;
            }
            Protocol protocol = protocol(series.dimension(PROTOCOL));
            if (protocol == null) {
                count(skipped, Skipped.NO_PROTOCOL);
                continue;
            }
            for (MetricPoint point : series.points()) {
                if (point.value() == null || !window.contains(point.at())) {
                    continue;
                }
                Figures f = figures.computeIfAbsent(new PortKey(backend, protocol, point.at()), k -> new Figures());
                if (allocated) {
                    f.allocated = (f.allocated == null ? 0 : f.allocated) + point.value();
                } else {
                    f.used = (f.used == null ? 0 : f.used) + point.value();
                }
            }
        }
        Map<BackendMinute, Double> failures = failedConnections == null ? null
                : failures(failedConnections, window, skipped);

        List<SnatSample> samples = new ArrayList<>();
        List<PortKey> keys = new ArrayList<>(figures.keySet());
        keys.sort(Comparator.comparing(PortKey::at).thenComparing(PortKey::backendIp).thenComparing(PortKey::protocol));
        for (PortKey key : keys) {
            Figures f = figures.get(key);
            if (f.allocated == null || f.used == null) {
                count(skipped, Skipped.INCOMPLETE_MINUTE);
                continue;
            }
            BackendMinute minute = new BackendMinute(key.backendIp(), key.at());
            Long failed = null;
            if (failures != null && carriesFailures(key, figures)) {
                Double sum = failures.remove(minute);
                failed = sum == null ? 0L : Math.round(sum);
            }
            try {
                samples.add(new SnatSample(clusterId, key.at(), key.backendIp(), key.protocol(),
                        Math.round(f.allocated), Math.round(f.used), failed));
            } catch (InvalidInputException e) {
                count(skipped, Skipped.INVALID);
            }
        }
        if (failures != null) {
            failures.values().stream().filter(sum -> sum > 0)
                    .forEach(sum -> count(skipped, Skipped.FAILURES_WITHOUT_PORTS));
        }
        return new Result(samples, skipped);
    }

    /** TCP carries a backend minute's failures; UDP only when the backend has no TCP figures that minute. */
    private static boolean carriesFailures(PortKey key, Map<PortKey, Figures> figures) {
        if (key.protocol() == Protocol.TCP) {
            return true;
        }
        Figures tcp = figures.get(new PortKey(key.backendIp(), Protocol.TCP, key.at()));
        return tcp == null || tcp.allocated == null || tcp.used == null;
    }

    private static Map<BackendMinute, Double> failures(List<MetricSeries> series, MinuteWindow window,
            Map<Skipped, Integer> skipped) {
        Map<BackendMinute, Double> sums = new HashMap<>();
        for (MetricSeries s : series) {
            String state = s.dimension(CONNECTION_STATE);
            if (!CONNECTIONS.equalsIgnoreCase(s.metric()) || (state != null && !FAILED.equalsIgnoreCase(state))) {
                continue;
            }
            String backend = s.dimension(BACKEND);
            if (backend == null) {
                count(skipped, Skipped.NO_BACKEND);
                continue;
            }
            for (MetricPoint point : s.points()) {
                if (point.value() != null && window.contains(point.at())) {
                    sums.merge(new BackendMinute(backend, point.at()), point.value(), Double::sum);
                }
            }
        }
        return sums;
    }

    private static Protocol protocol(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Protocol.fromWire(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void count(Map<Skipped, Integer> skipped, Skipped reason) {
        skipped.merge(reason, 1, Integer::sum);
    }
}
