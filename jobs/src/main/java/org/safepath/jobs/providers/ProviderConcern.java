package org.safepath.jobs.providers;

import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.records.DeadLetterReason;

/** Market-oversight news about a provider location after the ingest edge (no person in it). A Flink POJO. */
public class ProviderConcern implements TrackedEvent {
    public String eventId;
    public long occurredAt;
    public String localAuthority;
    public String providerLocationId;
    public String concernId;
    /** A {@code ProviderConcernKind} symbol. */
    public String kind;
    public boolean closed;
    /** On CQC_RATING_PUBLISHED. */
    public String cqcRating;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public ProviderConcern() {
    }

    @Override
    public String eventId() {
        return eventId;
    }

    @Override
    public long occurredAt() {
        return occurredAt;
    }

    @Override
    public void setSource(String topic, int partition, long offset) {
        sourceTopic = topic;
        sourcePartition = partition;
        sourceOffset = offset;
    }

    @Override
    public DeadLetterRecord deadLetter(DeadLetterReason reason, String detail) {
        return DeadLetterRecord.of(reason, detail, sourceTopic, sourcePartition, sourceOffset, eventId, null);
    }
}
