package org.safepath.jobs.discharge;

import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.events.DischargeEventType;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.records.DeadLetterReason;

/**
 * A hospital-discharge event after the ingest edge: pseudonymised, validated, with where it came from.
 * A Flink POJO (public fields, no-arg constructor), so it needs no Kryo.
 */
public class DischargeEvent implements TrackedEvent {
    public String eventId;
    public long occurredAt;
    public String localAuthority;
    public String personRef;
    public DischargeEventType type;
    public String hospitalSite;
    public String pathway;
    public String delayReasonFamily;
    public String closeReason;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public DischargeEvent() {
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
        return type + " " + eventId + " at " + java.time.Instant.ofEpochMilli(occurredAt) + " site " + hospitalSite
                + (pathway != null ? " " + pathway : "");
    }
}
