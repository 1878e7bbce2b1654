package io.aksheadroom.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.aksheadroom.monitor.AlertStatus;
import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.capacity.SnatMode;

import java.io.IOException;
import java.util.function.Function;

/** Writes the domain's enums by their wire names ({@code critical}, {@code natGateway}), which the API promises. */
public final class DomainJsonModule extends SimpleModule {

    public DomainJsonModule() {
        super("aks-headroom-domain");
        addSerializer(Severity.class, wire(Severity::wireName));
        addSerializer(SnatMode.class, wire(SnatMode::wireName));
        addSerializer(NodeEventType.class, wire(NodeEventType::wireName));
        addSerializer(AlertStatus.class, wire(AlertStatus::wireName));
    }

    private static <T> JsonSerializer<T> wire(Function<T, String> name) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(name.apply(value));
            }
        };
    }
}
