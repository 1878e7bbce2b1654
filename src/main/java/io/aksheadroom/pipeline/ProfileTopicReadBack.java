package io.aksheadroom.pipeline;

import java.time.Duration;
import java.util.Map;

import io.aksheadroom.config.TopicsConfig;
import io.aksheadroom.discovery.PublishedProfiles;
import jakarta.enterprise.context.ApplicationScoped;

/** The compacted profiles topic, read to its end for fleet discovery, with the pipeline's own topic reader. */
@ApplicationScoped
public class ProfileTopicReadBack implements PublishedProfiles {

    private final TopicReader reader;
    private final TopicsConfig topics;

    ProfileTopicReadBack(TopicReader reader, TopicsConfig topics) {
        this.reader = reader;
        this.topics = topics;
    }

    @Override
    public Map<String, String> latest(Duration timeout) {
        return reader.latestByKey(topics.clusterProfiles(), timeout);
    }
}
