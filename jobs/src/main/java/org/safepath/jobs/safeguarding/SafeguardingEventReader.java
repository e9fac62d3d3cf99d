package org.safepath.jobs.safeguarding;

import java.time.Duration;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.events.SafeguardingEventType;
import org.safepath.jobs.ingest.PersonReader;
import org.safepath.jobs.ingest.Pseudonymiser;
import org.safepath.records.DeadLetterReason;

/** Reads safeguarding events at the source: header checks, the codes each lifecycle step needs, the pseudonym. */
public final class SafeguardingEventReader implements EventReader<SafeguardingEvent> {

    private final String pseudonymKeyFile;
    private final Duration futureTolerance;
    private transient PersonReader people;

    public SafeguardingEventReader(String pseudonymKeyFile, Duration futureTolerance) {
        this.pseudonymKeyFile = pseudonymKeyFile;
        this.futureTolerance = futureTolerance;
    }

    @Override
    public Schema readerSchema() {
        return org.safepath.events.SafeguardingEvent.getClassSchema();
    }

    @Override
    public void open() {
        people = new PersonReader(Pseudonymiser.fromKeySource(pseudonymKeyFile), futureTolerance);
    }

    @Override
    public SafeguardingEvent read(GenericRecord record) throws RejectedEventException {
        if (people == null) {
            open();
        }
        SafeguardingEvent e = new SafeguardingEvent();
        e.eventId = record.get("event_id").toString();
        e.localAuthority = record.get("local_authority").toString();
        e.occurredAt = people.occurredAt(record);
        e.type = SafeguardingEventType.valueOf(PersonReader.code(record, "event_type", true));
        e.concernId = record.get("concern_id").toString();
        if (e.concernId.isBlank()) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "concern_id is empty");
        }
        boolean received = e.type == SafeguardingEventType.CONCERN_RECEIVED;
        e.typeOfRisk = PersonReader.code(record, "type_of_risk", received);
        e.locationOfRisk = PersonReader.code(record, "location_of_risk", received);
        Object home = record.get("cqc_location_id");
        e.cqcLocationId = home == null || home.toString().isBlank() ? null : home.toString();
        e.screeningDecision = PersonReader.code(record, "screening_decision", e.type == SafeguardingEventType.CONCERN_SCREENED);
        e.personRef = people.personRef(record, e.localAuthority);
        return e;
    }
}
