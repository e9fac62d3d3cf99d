package org.safepath.jobs.ingest;

import java.time.Duration;
import java.time.Instant;

import org.apache.avro.generic.GenericRecord;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.records.DeadLetterReason;

/** The checks every event reader makes on the common header, and the person's pseudonym. */
public final class PersonReader {

    private final Pseudonymiser pseudonymiser;
    private final Duration futureTolerance;

    public PersonReader(Pseudonymiser pseudonymiser, Duration futureTolerance) {
        this.pseudonymiser = pseudonymiser;
        this.futureTolerance = futureTolerance;
    }

    /** The event's occurred_at, rejecting one further in the future than the tolerance allows. */
    public long occurredAt(GenericRecord record) throws RejectedEventException {
        long occurredAt = millis(record.get("occurred_at"));
        long latestAllowed = System.currentTimeMillis() + futureTolerance.toMillis();
        if (occurredAt > latestAllowed) {
            throw new RejectedEventException(DeadLetterReason.FUTURE_TIMESTAMP, "occurred_at "
                    + Instant.ofEpochMilli(occurredAt) + " is more than " + futureTolerance.toMinutes()
                    + " minutes in the future");
        }
        return occurredAt;
    }

    public static long millis(Object timestamp) {
        return timestamp instanceof Instant i ? i.toEpochMilli() : ((Number) timestamp).longValue();
    }

    /** The person's pseudonym; the clear identifier goes no further than this method. */
    public String personRef(GenericRecord record, String localAuthority) throws RejectedEventException {
        GenericRecord person = (GenericRecord) record.get("person");
        if (person == null) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "The event names no person");
        }
        Object nhs = person.get("nhs_number");
        if (nhs != null) {
            if (!NhsNumber.isValid(nhs.toString())) {
                throw new RejectedEventException(DeadLetterReason.INVALID_NHS_NUMBER,
                        "nhs_number is not 10 digits with a valid modulus-11 check digit");
            }
            return pseudonymiser.ofNhsNumber(nhs.toString());
        }
        Object councilId = person.get("council_person_id");
        if (councilId == null || councilId.toString().isBlank()) {
            throw new RejectedEventException(DeadLetterReason.INVALID_IDENTIFIER, "person has neither nhs_number nor council_person_id");
        }
        return pseudonymiser.ofCouncilPersonId(localAuthority, councilId.toString());
    }

    /** An enum field's symbol, rejecting the UNKNOWN default an unrecognised or newer code resolves to. */
    public static String code(GenericRecord record, String field, boolean required) throws RejectedEventException {
        Object value = record.get(field);
        if (value == null) {
            if (required) {
                throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, field + " is required for this event type");
            }
            return null;
        }
        String symbol = value.toString();
        if ("UNKNOWN".equals(symbol)) {
            throw new RejectedEventException(DeadLetterReason.UNKNOWN_CODE, field + " has a code this version does not know");
        }
        return symbol;
    }
}
