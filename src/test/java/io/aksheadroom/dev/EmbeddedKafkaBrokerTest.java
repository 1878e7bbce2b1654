package io.aksheadroom.dev;

import io.aksheadroom.support.KafkaTestClient;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaBrokerTest {

    @Test
    void carriesRecordsUpToSixteenMebibytesAndFreesPortAndDataOnClose() throws Exception {
        long started = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0);
        System.out.printf("Embedded Kafka broker started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        int port = broker.port();
        Path logDir = broker.logDir();
        String big = "x".repeat(15 * 1024 * 1024);
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            kafka.admin().createTopics(Set.of(new NewTopic("t", 2, (short) 1))).all().get();
            kafka.send("t", "cluster-a", "{\"hello\":1}", Map.of("origin", "test"));
            // The broker's default limit is 1 MiB; hostile-input tests rely on far larger records getting through.
            kafka.send("t", "cluster-b", big);

            List<ConsumerRecord<String, String>> records = kafka.consumeUntil("t", all -> all.size() == 2);

            ConsumerRecord<String, String> small = records.stream()
                    .filter(r -> r.key().equals("cluster-a")).findFirst().orElseThrow();
            assertEquals("{\"hello\":1}", small.value());
            assertEquals("test", KafkaTestClient.header(small, "origin"));
            assertEquals(big.length(), records.stream()
                    .filter(r -> r.key().equals("cluster-b")).findFirst().orElseThrow().value().length());
        } finally {
            broker.close();
        }

        assertFalse(Files.exists(logDir), "log dir deleted");
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
        }
    }

    @Test
    void refusesATakenPortNamingTheWayOut() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("localhost", 0));

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(taken.getLocalPort()));

            assertTrue(refused.getMessage().contains("Port " + taken.getLocalPort()), refused.getMessage());
            assertTrue(refused.getMessage().contains("KAFKA_BOOTSTRAP_SERVERS"), refused.getMessage());
        }
    }
}
