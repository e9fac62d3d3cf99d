package org.safepath.jobs.primitives;

import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.records.DeadLetterReason;

/**
 * What every domain event carries after the ingest edge: its id, its event time, and the source record it came
 * from (topic, partition, offset), which a dead letter points at instead of holding the raw bytes. Subclasses are
 * Flink POJOs: public fields, a no-arg constructor.
 */
public abstract class SourcedEvent implements TrackedEvent {
    public String eventId;
    public long occurredAt;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

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
