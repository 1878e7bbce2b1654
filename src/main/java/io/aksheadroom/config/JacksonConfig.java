package io.aksheadroom.config;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.json.DomainJsonModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Registers the domain's wire names with the one ObjectMapper that REST and the Kafka adapters share. */
@Singleton
public class JacksonConfig implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new DomainJsonModule());
    }
}
