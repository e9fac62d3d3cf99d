package org.safepath.schemas;

import org.apache.avro.Schema;
import org.safepath.events.BrokerageEvent;
import org.safepath.events.CareJourneyEvent;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.ProviderConcernEvent;
import org.safepath.events.ProviderReference;
import org.safepath.events.SafeguardingEvent;
import org.safepath.records.Alert;
import org.safepath.records.DeadLetter;

/** Every Kafka stream SafePath reads or writes: its topic, its registry subject and its Avro schema. */
public enum EventStream {
    CARE_JOURNEY("care-journey", CareJourneyEvent.getClassSchema(), false),
    SAFEGUARDING("safeguarding", SafeguardingEvent.getClassSchema(), false),
    HOSPITAL_DISCHARGE("hospital-discharge", HospitalDischargeEvent.getClassSchema(), false),
    BROKERAGE("brokerage", BrokerageEvent.getClassSchema(), false),
    PROVIDER_CONCERNS("provider-concerns", ProviderConcernEvent.getClassSchema(), false),
    /** Reference data, one record per provider location: a compacted topic. */
    PROVIDER_REFERENCE("provider-reference", ProviderReference.getClassSchema(), true),
    DEAD_LETTERS("dead-letters", DeadLetter.getClassSchema(), false),
    ALERTS("alerts", Alert.getClassSchema(), false);

    private final String streamName;
    private final Schema schema;
    private final boolean compacted;

    EventStream(String streamName, Schema schema, boolean compacted) {
        this.streamName = streamName;
        this.schema = schema;
        this.compacted = compacted;
    }

    /** The name used in event files and configuration, e.g. {@code hospital-discharge}. */
    public String streamName() {
        return streamName;
    }

    public String topic() {
        return topic(DEFAULT_TOPIC_PREFIX);
    }

    /** The stream's topic under another prefix: several councils (or test runs) side by side on one cluster. */
    public String topic(String prefix) {
        return prefix + streamName;
    }

    public static final String DEFAULT_TOPIC_PREFIX = "safepath.";

    /** Confluent's TopicNameStrategy: the value schema of a topic is registered under "topic-value". */
    public String subject() {
        return topic() + "-value";
    }

    public Schema schema() {
        return schema;
    }

    public boolean compacted() {
        return compacted;
    }

    /** The streams that carry events from source systems into SafePath. */
    public boolean isInput() {
        return this != DEAD_LETTERS && this != ALERTS;
    }

    public static EventStream byName(String name) {
        for (EventStream s : values()) {
            if (s.streamName.equals(name) || s.topic().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown stream '" + name + "'");
    }
}
