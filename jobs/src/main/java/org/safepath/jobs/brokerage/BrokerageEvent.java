package org.safepath.jobs.brokerage;

import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.records.DeadLetterReason;

/** A brokerage event after the ingest edge. Brokerage counts requests, not people: no person is kept. A Flink POJO. */
public class BrokerageEvent implements TrackedEvent {
    public String eventId;
    public long occurredAt;
    public String localAuthority;
    /** A {@code BrokerageEventType} symbol. */
    public String type;
    public String requestId;
    public String packageType;
    public String urgency;
    public String area;
    public String providerLocationId;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public BrokerageEvent() {
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
