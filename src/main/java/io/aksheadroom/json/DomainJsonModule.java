package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.Converter;

import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.capacity.SnatMode;
import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.monitor.LoadBalancerMinute;
import io.aksheadroom.monitor.NatGatewaySample;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.monitor.SnatSample;

import java.io.IOException;
import java.util.function.Function;

/**
 * The wire forms of the domain, for the one ObjectMapper that REST and Kafka share: enums by their wire names
 * ({@code critical}, {@code natGateway}), which the API promises, and the input records (profiles, samples, node
 * events) in the shapes their readers take. Those records are written only to Kafka, so their shape here is theirs
 * alone; {@code capacity} and {@code monitor} stay free of Jackson.
 */
public final class DomainJsonModule extends SimpleModule {

    public DomainJsonModule() {
        super("aks-headroom-domain");
        addSerializer(Severity.class, wire(Severity::wireName));
        addSerializer(SnatMode.class, wire(SnatMode::wireName));
        addSerializer(NodeEventType.class, wire(NodeEventType::wireName));
        addSerializer(AlertStatus.class, wire(AlertStatus::wireName));
        writeAs(ClusterProfile.class, ProfileWire.class, ProfileWire::of);
        writeAs(SnatSample.class, EventJson.SnatSampleWire.class, EventJson.SnatSampleWire::of);
        writeAs(LoadBalancerMinute.class, EventJson.LoadBalancerMinuteWire.class,
                EventJson.LoadBalancerMinuteWire::of);
        writeAs(NatGatewaySample.class, EventJson.NatGatewaySampleWire.class, EventJson.NatGatewaySampleWire::of);
        writeAs(NodeEvent.class, EventJson.NodeEventWire.class, EventJson.NodeEventWire::of);
    }

    /**
     * A mapper that writes what the service's own (Quarkus') mapper writes, for code that runs without Quarkus: the
     * {@code check} command and tests. Quarkus adds the JSR-310 module and writes dates as text; this adds the same.
     */
    public static ObjectMapper standaloneMapper() {
        return JsonMapper.builder().findAndAddModules().addModule(new DomainJsonModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }

    private static <T> JsonSerializer<T> wire(Function<T, String> name) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(name.apply(value));
            }
        };
    }

    /** Writes each {@code type} as the {@code form} record {@code convert} makes of it. */
    private <T, F> void writeAs(Class<T> type, Class<F> form, Function<T, F> convert) {
        addSerializer(type, new StdDelegatingSerializer(new Converter<T, F>() {
            @Override
            public F convert(T value) {
                return convert.apply(value);
            }

            @Override
            public JavaType getInputType(TypeFactory types) {
                return types.constructType(type);
            }

            @Override
            public JavaType getOutputType(TypeFactory types) {
                return types.constructType(form);
            }
        }));
    }
}
