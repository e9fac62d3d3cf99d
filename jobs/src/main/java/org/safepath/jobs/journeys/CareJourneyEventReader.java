package org.safepath.jobs.journeys;

import java.time.Duration;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.ingest.PersonReader;
import org.safepath.jobs.ingest.Pseudonymiser;
import org.safepath.records.DeadLetterReason;

/**
 * Reads care-journey events at the source: header checks, the fields each event type needs (a wait's id, priority
 * and team; a young person's birth month; a placement's provider and where it is), and the person's pseudonym.
 */
public final class CareJourneyEventReader implements EventReader<CareJourneyEvent> {

    private final String pseudonymKeyFile;
    private final Duration futureTolerance;
    private transient PersonReader people;

    public CareJourneyEventReader(String pseudonymKeyFile, Duration futureTolerance) {
        this.pseudonymKeyFile = pseudonymKeyFile;
        this.futureTolerance = futureTolerance;
    }

    @Override
    public Schema readerSchema() {
        return org.safepath.events.CareJourneyEvent.getClassSchema();
    }

    @Override
    public void open() {
        people = new PersonReader(Pseudonymiser.fromKeySource(pseudonymKeyFile), futureTolerance);
    }

    @Override
    public CareJourneyEvent read(GenericRecord record) throws RejectedEventException {
        if (people == null) {
            open();
        }
        CareJourneyEvent e = new CareJourneyEvent();
        e.eventId = record.get("event_id").toString();
        e.localAuthority = record.get("local_authority").toString();
        e.occurredAt = people.occurredAt(record);
        e.type = CareJourneyEventType.valueOf(PersonReader.code(record, "event_type", true));
        e.team = text(record, "team");
        boolean added = e.type == CareJourneyEventType.ADDED_TO_WAITING_LIST;
        boolean onList = added || e.type == CareJourneyEventType.PRIORITY_CHANGED
                || e.type == CareJourneyEventType.REMOVED_FROM_WAITING_LIST;
        e.waitId = text(record, "wait_id");
        if (onList && e.waitId == null) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "wait_id is required on " + e.type);
        }
        if (added && e.team == null) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "team is required on ADDED_TO_WAITING_LIST: it holds the wait");
        }
        e.waitingFor = PersonReader.code(record, "waiting_for", added);
        e.priority = PersonReader.code(record, "priority", added || e.type == CareJourneyEventType.PRIORITY_CHANGED);
        if (e.type == CareJourneyEventType.TRANSITION_IDENTIFIED) {
            Object year = record.get("birth_year");
            Object month = record.get("birth_month");
            if (year == null || month == null) {
                throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "birth_year and birth_month are required on TRANSITION_IDENTIFIED");
            }
            e.birthYear = ((Number) year).intValue();
            e.birthMonth = ((Number) month).intValue();
            if (e.birthMonth < 1 || e.birthMonth > 12 || e.birthYear < 1900 || e.birthYear > 2200) {
                throw new RejectedEventException(DeadLetterReason.OTHER, "birth month " + e.birthYear + "-" + e.birthMonth
                        + " is not a month (birth_month 1-12, a four-digit birth_year)");
            }
        }
        e.providerLocationId = text(record, "provider_location_id");
        e.providerLocalAuthority = text(record, "provider_local_authority");
        if (e.type == CareJourneyEventType.SERVICE_STARTED && e.providerLocationId != null && e.providerLocalAuthority == null) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD,
                    "provider_local_authority is required on SERVICE_STARTED at a provider: it says whether the placement is out of area");
        }
        e.personRef = people.personRef(record, e.localAuthority);
        return e;
    }

    private static String text(GenericRecord record, String field) {
        Object v = record.get(field);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }
}
