package io.aksheadroom.pipeline;

import io.aksheadroom.config.PipelineConfig;
import io.aksheadroom.monitor.Fleet;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Dead-letters the records of events whose cluster never got a profile once their grace period is over: live ones
 * from when they came, those a replay held from when its partition settled.
 */
@Singleton
public class HeldEventExpiry {

    private final Fleet<ConsumerRecord<String, String>> fleet;
    private final DeadLetterPublisher deadLetters;
    private final PipelineConfig config;
    private final Clock clock;

    public HeldEventExpiry(Fleet<ConsumerRecord<String, String>> fleet, DeadLetterPublisher deadLetters,
            PipelineConfig config, Clock clock) {
        this.fleet = fleet;
        this.deadLetters = deadLetters;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${aks-headroom.pipeline.held-check:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        deadLetter(fleet.expireHeld(clock.instant()));
    }

    // The marker does not wait for these: their records were processed (held) long before. A dead letter lost at a
    // crash is sent again by the next owner, whose replay holds the same records and lets them wait out the grace.
    private void deadLetter(List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            deadLetters.send(record, "unknown cluster: " + record.key(), config.maxRecordBytes(), OutputLedger.NONE);
        }
    }
}
