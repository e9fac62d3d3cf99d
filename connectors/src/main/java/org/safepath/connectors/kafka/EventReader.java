package org.safepath.connectors.kafka;

import java.io.Serializable;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns one decoded Avro record of a stream into the job's own event type: validates it and pseudonymises
 * the person. Runs inside the Kafka source, so a raw identifier never leaves the first operator.
 */
public interface EventReader<T> extends Serializable {

    /** The schema this reader was written for; writers' schemas are resolved to it. */
    Schema readerSchema();

    /** Called once per parallel source instance before the first record (e.g. to load the pseudonym key). */
    default void open() throws Exception {
    }

    T read(GenericRecord record) throws RejectedEventException;

    /** The event id, for the dead letter of a record that decoded but was rejected. */
    default String eventId(GenericRecord record) {
        Object id = record.hasField("event_id") ? record.get("event_id") : null;
        return id == null ? null : id.toString();
    }
}
