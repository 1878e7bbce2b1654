package io.aksheadroom.azuremonitor.model;

import io.aksheadroom.monitor.NatGatewaySample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SNAT-9: one {@link NatGatewaySample} per NAT gateway and minute from its {@code SNATConnectionCount} (failed),
 * {@code TotalConnectionCount} and {@code PacketDropCount} series (Total aggregation), each summed over the
 * {@code Protocol} dimension: a NAT gateway's ports are shared by TCP and UDP alike, unlike a load balancer's.
 */
public final class NatGatewayAggregation {

    public static final String SNAT_CONNECTIONS = "SNATConnectionCount";
    public static final String TOTAL_CONNECTIONS = "TotalConnectionCount";
    public static final String PACKET_DROPS = "PacketDropCount";

    private record Key(String resourceId, Instant at) {
    }

    private static final class Figures {
        Double failed;
        Double total;
        Double drops;
    }

    private NatGatewayAggregation() {
    }

    public static List<NatGatewaySample> aggregate(String clusterId, List<MetricSeries> series, MinuteWindow window) {
        Map<Key, Figures> figures = new HashMap<>();
        for (MetricSeries s : series) {
            String metric = s.metric();
            String state = s.dimension(SnatAggregation.CONNECTION_STATE);
            if (SNAT_CONNECTIONS.equalsIgnoreCase(metric) && state != null
                    && !SnatAggregation.FAILED.equalsIgnoreCase(state)) {
                continue;
            }
            for (MetricPoint point : s.points()) {
                if (point.value() == null || !window.contains(point.at())) {
                    continue;
                }
                Figures f = figures.computeIfAbsent(new Key(s.resourceId(), point.at()), k -> new Figures());
                if (SNAT_CONNECTIONS.equalsIgnoreCase(metric)) {
                    f.failed = sum(f.failed, point.value());
                } else if (TOTAL_CONNECTIONS.equalsIgnoreCase(metric)) {
                    f.total = sum(f.total, point.value());
                } else if (PACKET_DROPS.equalsIgnoreCase(metric)) {
                    f.drops = sum(f.drops, point.value());
                }
            }
        }
        List<Key> keys = new ArrayList<>(figures.keySet());
        keys.sort(Comparator.comparing(Key::at).thenComparing(Key::resourceId));
        List<NatGatewaySample> samples = new ArrayList<>();
        for (Key key : keys) {
            Figures f = figures.get(key);
            if (f.failed != null || f.total != null || f.drops != null) {
                samples.add(new NatGatewaySample(clusterId, key.at(), key.resourceId(), round(f.failed),
                        round(f.total), round(f.drops)));
            }
        }
        return samples;
    }

    private static Double sum(Double total, double value) {
        return (total == null ? 0 : total) + value;
    }

    private static Long round(Double value) {
        return value == null ? null : Math.max(0, Math.round(value));
    }
}
