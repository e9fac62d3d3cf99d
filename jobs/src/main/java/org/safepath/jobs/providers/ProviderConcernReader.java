package org.safepath.jobs.providers;

import java.time.Duration;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.jobs.ingest.PersonReader;
import org.safepath.records.DeadLetterReason;

/** Reads provider-concern events at the source: header checks, the kind, the rating a rating event must carry. */
public final class ProviderConcernReader implements EventReader<ProviderConcern> {

    private final Duration futureTolerance;
    private transient PersonReader times;

    public ProviderConcernReader(Duration futureTolerance) {
        this.futureTolerance = futureTolerance;
    }

    @Override
    public Schema readerSchema() {
        return org.safepath.events.ProviderConcernEvent.getClassSchema();
    }

    @Override
    public void open() {
        times = new PersonReader(null, futureTolerance); // no person in these events: no pseudonymiser
    }

    @Override
    public ProviderConcern read(GenericRecord record) throws RejectedEventException {
        if (times == null) {
            open();
        }
        ProviderConcern c = new ProviderConcern();
        c.eventId = record.get("event_id").toString();
        c.localAuthority = record.get("local_authority").toString();
        c.occurredAt = times.occurredAt(record);
        c.providerLocationId = record.get("provider_location_id").toString();
        if (c.providerLocationId.isBlank()) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "provider_location_id is empty");
        }
        c.concernId = record.get("concern_id").toString();
        if (c.concernId.isBlank()) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "concern_id is empty");
        }
        c.kind = PersonReader.code(record, "kind", true);
        c.closed = Boolean.TRUE.equals(record.get("closed"));
        c.cqcRating = PersonReader.code(record, "cqc_rating", "CQC_RATING_PUBLISHED".equals(c.kind));
        return c;
    }
}
