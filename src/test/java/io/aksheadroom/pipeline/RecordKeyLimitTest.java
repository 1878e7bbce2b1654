package io.aksheadroom.pipeline;

import static io.aksheadroom.pipeline.PipelineWithoutKafka.TOPICS;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.header;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.record;
import static io.aksheadroom.pipeline.PipelineWithoutKafka.tp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aksheadroom.support.Profiles;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Input keys are cluster ids: one past the key limit (1 KiB by default, in UTF-8 bytes) is dead-lettered with its size
 * and the limit, never parsed; a dead letter keeps at most the first 4 KiB of a key, so that a long key beside a value
 * near the record limit still fits the broker's 1 MiB.
 */
class RecordKeyLimitTest {

    private static final TopicPartition PROFILES = tp(TOPICS.clusterProfiles(), 0);

    private static PipelineWithoutKafka live() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka();
        pipeline.assign(0, Map.of(PROFILES, 0L), Map.of(PROFILES, 0L), Map.of(PROFILES, 0L));
        return pipeline;
    }

    private static String profile(String clusterId) {
        return Profiles.vector("default-tier-drop-on-scale", clusterId).toString();
    }

    @Test
    void aKeyAtTheLimitIsProcessedAndOneByteMoreIsDeadLetteredWithItsSize() {
        PipelineWithoutKafka pipeline = live();
        String atLimit = "c".repeat(1022) + "é"; // 1,024 bytes in 1,023 characters
        String overLimit = "c".repeat(1023) + "é";
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, atLimit, profile(atLimit)),
                record(TOPICS.clusterProfiles(), 0, 1, overLimit, profile(overLimit))));

        assertEquals(List.of("oversized key: 1025 bytes, the limit is 1024"), pipeline.deadLetterReasons());
        assertTrue(pipeline.fleet.view(atLimit) != null, "the key at the limit is a cluster");
        assertNull(pipeline.fleet.view(overLimit));
        RecordingEmitter.Sent letter = pipeline.deadLetters.sent().get(0);
        assertEquals(overLimit, letter.record().key(), "a key under 4 KiB is kept whole");
        assertNull(header(letter, DeadLetterPublisher.KEY_TRUNCATED));
    }

    @Test
    void aDeadLetterKeepsTheFirstBytesOfAHugeKeyCutOnACharacterBoundary() {
        PipelineWithoutKafka pipeline = live();
        String huge = "€".repeat(100_000); // 300,000 bytes
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, huge, "{}")));

        RecordingEmitter.Sent letter = pipeline.deadLetters.sent().get(0);
        assertEquals("oversized key: 300000 bytes, the limit is 1024", header(letter, DeadLetterPublisher.REASON));
        assertEquals("true", header(letter, DeadLetterPublisher.KEY_TRUNCATED));
        String kept = letter.record().key();
        assertEquals(DeadLetterPublisher.MAX_KEPT_KEY_BYTES / 3 * 3, kept.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(huge.startsWith(kept));
        assertEquals(Map.of(PROFILES, 1L), pipeline.ledger.covered(), "the stream goes on past it");
    }

    @Test
    void theLimitIsASetting() {
        PipelineWithoutKafka pipeline = new PipelineWithoutKafka(Map.of("maxKeyBytes", 8));
        pipeline.assign(0, Map.of(PROFILES, 0L), Map.of(PROFILES, 0L), Map.of(PROFILES, 0L));
        pipeline.poll(List.of(record(TOPICS.clusterProfiles(), 0, 0, "cluster-9", profile("cluster-9"))));
        assertEquals(List.of("oversized key: 9 bytes, the limit is 8"), pipeline.deadLetterReasons());
    }
}
