package io.aksheadroom.pipeline;

import io.aksheadroom.config.TopicsConfig;

/** The role an input record's topic plays; the one consumer reads them all. */
enum InputTopic {
    PROFILES, NODE_EVENTS, LB_METRICS, NATGW_METRICS;

    static InputTopic of(String topic, TopicsConfig topics) {
        if (topic.equals(topics.clusterProfiles())) {
            return PROFILES;
        }
        if (topic.equals(topics.nodeEvents())) {
            return NODE_EVENTS;
        }
        if (topic.equals(topics.lbMetrics())) {
            return LB_METRICS;
        }
        if (topic.equals(topics.natgwMetrics())) {
            return NATGW_METRICS;
        }
        throw new IllegalArgumentException("not an input topic: " + topic);
    }

    String topicName(TopicsConfig topics) {
        return switch (this) {
            case PROFILES -> topics.clusterProfiles();
            case NODE_EVENTS -> topics.nodeEvents();
            case LB_METRICS -> topics.lbMetrics();
            case NATGW_METRICS -> topics.natgwMetrics();
        };
    }
}
