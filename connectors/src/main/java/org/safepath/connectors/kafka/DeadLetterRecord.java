package org.safepath.connectors.kafka;

import org.safepath.records.DeadLetterReason;

/**
 * A record SafePath could not apply, as it travels through Flink to the dead-letter topic (a POJO: Flink
 * serializes it without Kryo). {@code detail} and {@code eventId} are readable and never hold a person
 * identifier; {@code raw} holds the bytes as they arrived, for replay after a fix.
 */
public class DeadLetterRecord {
    public DeadLetterReason reason;
    public String detail;
    public String sourceTopic;
    public Integer sourcePartition;
    public Long sourceOffset;
    public String eventId;
    public long deadLetteredAt;
    public byte[] raw;

    public DeadLetterRecord() {
    }

    public static DeadLetterRecord of(DeadLetterReason reason, String detail, String sourceTopic, Integer partition,
                                      Long offset, String eventId, byte[] raw) {
        DeadLetterRecord d = new DeadLetterRecord();
        d.reason = reason;
        d.detail = detail;
        d.sourceTopic = sourceTopic;
        d.sourcePartition = partition;
        d.sourceOffset = offset;
        d.eventId = eventId;
        d.deadLetteredAt = System.currentTimeMillis();
        d.raw = raw;
        return d;
    }

    public org.safepath.records.DeadLetter toAvro() {
        return org.safepath.records.DeadLetter.newBuilder()
                .setReason(reason)
                .setDetail(detail)
                .setSourceTopic(sourceTopic)
                .setSourcePartition(sourcePartition)
                .setSourceOffset(sourceOffset)
                .setEventId(eventId)
                .setDeadLetteredAt(java.time.Instant.ofEpochMilli(deadLetteredAt))
                .setRaw(raw == null ? null : java.nio.ByteBuffer.wrap(raw))
                .build();
    }

    @Override
    public String toString() {
        return reason + " " + sourceTopic + "/" + sourcePartition + "@" + sourceOffset + " event " + eventId + ": " + detail;
    }
}
