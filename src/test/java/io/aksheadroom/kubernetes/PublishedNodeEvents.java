package io.aksheadroom.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.config.Channels;
import io.aksheadroom.contracts.RecordContracts;
import io.aksheadroom.monitor.NodeEvent;
import io.aksheadroom.monitor.NodeEventType;
import io.aksheadroom.monitor.NodeInfo;
import io.aksheadroom.json.DataSchema;
import io.aksheadroom.json.EventJson;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The records the watcher handed to the node-events channel, read back through the project's own parser after its
 * schema (docs/schemas/node-event.v1.schema.json).
 */
final class PublishedNodeEvents {

    /** One record: its Kafka key, its parsed value, and its place in the order of publication. */
    record Published(int index, Object key, NodeEvent event) {

        boolean isAbout(String nodeName) {
            return event.node() != null && event.node().name().equals(nodeName);
        }

        boolean lists(String nodeName) {
            return event.nodes().stream().map(NodeInfo::name).anyMatch(nodeName::equals);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final InMemoryConnector connector;

    PublishedNodeEvents(InMemoryConnector connector) {
        this.connector = connector;
    }

    List<Published> all() {
        List<? extends Message<Record<String, String>>> received =
                connector.<Record<String, String>>sink(Channels.NODE_EVENTS_PUBLISH).received();
        return IntStream.range(0, received.size()).mapToObj(i -> published(i, received.get(i))).toList();
    }

    List<Published> about(String nodeName) {
        return all().stream().filter(published -> published.isAbout(nodeName)).toList();
    }

    /** The first record after {@code index} of this type that passes {@code test}, once it is there. */
    Published awaitAfter(int index, NodeEventType type, Predicate<Published> test) {
        return org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> all().stream()
                .filter(published -> published.index() > index && published.event().type() == type && test.test(published))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    Published await(NodeEventType type, Predicate<Published> test) {
        return awaitAfter(-1, type, test);
    }

    private static Published published(int index, Message<Record<String, String>> message) {
        Record<String, String> record = message.getPayload();
        RecordContracts.assertValid(DataSchema.NODE_EVENT, message);
        try {
            return new Published(index, record.key(), EventJson.parseNodeEvent(MAPPER.readTree(record.value())));
        } catch (JsonProcessingException e) {
            throw new AssertionError("record " + index + " is not JSON: " + record.value(), e);
        }
    }
}
