package org.safepath.jobs.discharge;

import java.time.Duration;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.events.DischargeEventType;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.jobs.ingest.PersonReader;
import org.safepath.jobs.ingest.Pseudonymiser;
import org.safepath.records.DeadLetterReason;

/** Reads hospital-discharge events at the source: header checks, codes, pseudonym. */
public final class DischargeEventReader implements EventReader<DischargeEvent> {

    /** Delay reason when the Transfer of Care Hub recorded none. */
    public static final String REASON_NOT_RECORDED = "NOT_RECORDED";

    private final String pseudonymKeyFile;
    private final Duration futureTolerance;
    private transient PersonReader people;

    public DischargeEventReader(String pseudonymKeyFile, Duration futureTolerance) {
        this.pseudonymKeyFile = pseudonymKeyFile;
        this.futureTolerance = futureTolerance;
    }

    @Override
    public Schema readerSchema() {
        return HospitalDischargeEvent.getClassSchema();
    }

    @Override
    public void open() {
        people = new PersonReader(Pseudonymiser.fromKeySource(pseudonymKeyFile), futureTolerance);
    }

    @Override
    public DischargeEvent read(GenericRecord record) throws RejectedEventException {
        if (people == null) {
            open();
        }
        DischargeEvent e = new DischargeEvent();
        e.eventId = record.get("event_id").toString();
        e.localAuthority = record.get("local_authority").toString();
        e.occurredAt = people.occurredAt(record);
        e.type = DischargeEventType.valueOf(PersonReader.code(record, "event_type", true));
        e.hospitalSite = record.get("hospital_site").toString();
        if (e.hospitalSite.isBlank()) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "hospital_site is empty");
        }
        boolean ready = e.type == DischargeEventType.DISCHARGE_READY;
        e.pathway = PersonReader.code(record, "pathway", ready);
        String reason = PersonReader.code(record, "delay_reason_family", false);
        e.delayReasonFamily = reason == null ? (ready ? REASON_NOT_RECORDED : null) : reason;
        e.closeReason = PersonReader.code(record, "close_reason", false);
        e.personRef = people.personRef(record, e.localAuthority);
        return e;
    }
}
