package org.safepath.jobs.primitives;

import java.time.Instant;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.Ingested;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.events.CqcRating;
import org.safepath.events.PammsRating;
import org.safepath.events.ProviderReference;
import org.safepath.records.DeadLetterReason;

/** Reads a provider reference record (no person, no event id or time) into the typed record. */
public final class ProviderReferenceReader implements EventReader<ProviderReference> {

    @Override
    public Schema readerSchema() {
        return ProviderReference.getClassSchema();
    }

    @Override
    public ProviderReference read(GenericRecord r) throws RejectedEventException {
        Object location = r.get("location_id");
        if (location == null || location.toString().isBlank()) {
            throw new RejectedEventException(DeadLetterReason.MISSING_FIELD, "location_id is empty");
        }
        Object updated = r.get("updated_at");
        return ProviderReference.newBuilder()
                .setLocationId(location.toString())
                .setProviderId(text(r, "provider_id"))
                .setName(text(r, "name"))
                .setLocalAuthority(text(r, "local_authority"))
                .setServiceType(text(r, "service_type"))
                .setBeds((Integer) r.get("beds"))
                .setCqcOverall(CqcRating.valueOf(r.get("cqc_overall").toString()))
                .setCqcSafe(r.get("cqc_safe") == null ? null : CqcRating.valueOf(r.get("cqc_safe").toString()))
                .setPammsRating(r.get("pamms_rating") == null ? null : PammsRating.valueOf(r.get("pamms_rating").toString()))
                .setCareStaff((Integer) r.get("care_staff"))
                .setSponsoredWorkers((Integer) r.get("sponsored_workers"))
                .setLinkWorker(r.get("link_worker") == null ? null : r.get("link_worker").toString())
                .setUpdatedAt(updated instanceof Instant i ? i : Instant.ofEpochMilli((Long) updated))
                .build();
    }

    private static String text(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? "" : v.toString();
    }

    @Override
    public String eventId(GenericRecord record) {
        Object id = record.get("location_id");
        return id == null ? null : "reference " + id;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static TypeInformation<Ingested<ProviderReference>> ingestedType() {
        return (TypeInformation) Types.POJO(Ingested.class, Map.of("event", TypeInformation.of(ProviderReference.class),
                "deadLetter", TypeInformation.of(DeadLetterRecord.class)));
    }
}
