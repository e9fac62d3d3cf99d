package org.safepath.jobs.safeguarding;

import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.events.SafeguardingEventType;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.records.DeadLetterReason;

/** A safeguarding event after the ingest edge: pseudonymised, validated, with where it came from. A Flink POJO. */
public class SafeguardingEvent implements TrackedEvent {
    public String eventId;
    public long occurredAt;
    public String localAuthority;
    public String personRef;
    public SafeguardingEventType type;
    public String concernId;
    /** On CONCERN_RECEIVED. */
    public String typeOfRisk;
    public String locationOfRisk;
    /** On CONCERN_RECEIVED at a care or community service: its CQC location id. */
    public String cqcLocationId;
    /** On CONCERN_SCREENED. */
    public String screeningDecision;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public SafeguardingEvent() {
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

    @Override
    public String toString() {
        return type + " " + eventId + " concern " + concernId + " at " + java.time.Instant.ofEpochMilli(occurredAt);
    }
}
