package org.safepath.connectors.elasticsearch;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.safepath.connectors.kafka.DeadLetterRecord;

/**
 * A dead letter as a readable document in {@code safepath-dead-letters}, so the dashboard and the demo can count
 * them by stream and reason. The raw bytes stay on the dead-letter topic only: they may hold a person in clear.
 * The id is the source record and the reason, so a replay writes the same document again.
 */
public final class DeadLetterDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterDocuments() {
    }

    public static IndexOperation of(DeadLetterRecord d) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("reason", d.reason.name());
        doc.put("detail", d.detail);
        if (d.sourceTopic != null) {
            doc.put("source_topic", d.sourceTopic);
            doc.put("source_partition", d.sourcePartition);
            doc.put("source_offset", d.sourceOffset);
        }
        if (d.eventId != null) {
            doc.put("event_id", d.eventId);
        }
        doc.put("dead_lettered_at", Instant.ofEpochMilli(d.deadLetteredAt).toString());
        String identity = d.sourceTopic != null ? d.sourceTopic + "/" + d.sourcePartition + "@" + d.sourceOffset
                : "event " + d.eventId + " at " + d.deadLetteredAt;
        try {
            return new IndexOperation(SafePathIndices.DEAD_LETTERS, IndicatorDocuments.hashedId(identity + "/" + d.reason), 1, JSON.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
