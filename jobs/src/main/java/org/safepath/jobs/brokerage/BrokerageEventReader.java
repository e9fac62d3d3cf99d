package org.safepath.jobs.brokerage;

import java.time.Duration;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.jobs.ingest.PersonReader;
import org.safepath.records.DeadLetterReason;

/**
 * Reads brokerage events at the source: header checks and the codes each step needs. Brokerage indicators count
 * requests, so a person the event may name is not read at all: it goes no further than the source's bytes.
 */
public final class BrokerageEventReader implements EventReader<BrokerageEvent> {

    private final Duration futureTolerance;
    private transient PersonReader times;

    public BrokerageEventReader(Duration futureTolerance) {
        this.futureTolerance = futureTolerance;
    }

    @Override
    public Schema readerSchema() {
        return org.safepath.events.BrokerageEvent.getClassSchema();
    }

    @Override
    public void open() {
        times = new PersonReader(null, futureTolerance); // no person is read: no pseudonymiser
    }

    @Override
    public BrokerageEvent read(GenericRecord record) throws RejectedEventException {
        if (times == null) {
            open();
        }
        BrokerageEvent e = new BrokerageEvent();
        e.eventId = record.get("event_id").toString();
        e.localAuthority = record.get("local_authority").toString();
        e.occurredAt = times.occurredAt(record);
        e.type = PersonReader.code(record, "event_type", true);
        e.requestId = record.get("request_id").toString();
        if (e.requestId.isBlank()) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "request_id is empty");
        }
        boolean requested = e.type.equals("REQUESTED");
        e.packageType = PersonReader.code(record, "package_type", requested);
        e.urgency = PersonReader.code(record, "urgency", requested || e.type.equals("ESCALATED"));
        Object area = record.get("area");
        e.area = area == null || area.toString().isBlank() ? null : area.toString();
        if (requested && e.area == null) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "area is empty on a request");
        }
        Object provider = record.get("provider_location_id");
        e.providerLocationId = provider == null || provider.toString().isBlank() ? null : provider.toString();
        if (e.type.equals("SOURCED") && e.providerLocationId == null) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "provider_location_id is empty on SOURCED");
        }
        return e;
    }
}
