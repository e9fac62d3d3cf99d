package org.safepath.dashboards;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How many records of each stream were dead-lettered, by reason: the one query over {@code safepath-dead-letters}
 * that the dashboard and the demo's summary both show.
 */
public final class DeadLetterCounts {

    /** The search body: streams (a record with no source counts as "(no source)"), then reasons. */
    public static final String QUERY = "{\"size\":0,\"aggs\":{\"streams\":{\"terms\":{\"field\":\"source_topic\","
            + "\"missing\":\"(no source)\",\"size\":50},\"aggs\":{\"reasons\":{\"terms\":{\"field\":\"reason\",\"size\":50}}}}}}";

    private DeadLetterCounts() {
    }

    /** Stream to reason to count, from the answer to {@link #QUERY}; empty when there are none. */
    public static Map<String, Map<String, Long>> from(JsonNode answer) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (JsonNode stream : answer.path("aggregations").path("streams").path("buckets")) {
            for (JsonNode reason : stream.path("reasons").path("buckets")) {
                counts.computeIfAbsent(stream.get("key").asText(), k -> new TreeMap<>())
                        .put(reason.get("key").asText(), reason.get("doc_count").asLong());
            }
        }
        return counts;
    }
}
