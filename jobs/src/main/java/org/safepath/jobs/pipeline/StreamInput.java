package org.safepath.jobs.pipeline;

import java.io.Serializable;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.Ingested;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.schemas.EventStream;

/** How one input stream is read at the edge: its reader (validation, pseudonym) and the event type it gives. */
public record StreamInput<T extends TrackedEvent>(EventStream stream, EventReader<T> reader, Class<T> eventType) implements Serializable {

    public TypeInformation<T> typeInfo() {
        return TypeInformation.of(eventType);
    }

    /** {@code Ingested<T>} for this event type, as a POJO (no Kryo). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public TypeInformation<Ingested<T>> ingestedType() {
        return (TypeInformation) Types.POJO(Ingested.class, Map.of("event", typeInfo(),
                "deadLetter", TypeInformation.of(DeadLetterRecord.class)));
    }
}
