package org.safepath.simulator;

import org.apache.avro.specific.SpecificRecord;
import org.safepath.schemas.EventStream;

/** One event of the synthetic council: which stream it belongs to, its Kafka key, the record, its event time. */
public record SimulatedEvent(EventStream stream, String key, SpecificRecord record, long occurredAt, String eventId) {
}
