package org.safepath.jobs.discharge;

import org.safepath.events.DischargeEventType;
import org.safepath.jobs.primitives.SourcedEvent;

/**
 * A hospital-discharge event after the ingest edge: pseudonymised, validated, with where it came from.
 * A Flink POJO (public fields, no-arg constructor), so it needs no Kryo.
 */
public class DischargeEvent extends SourcedEvent {
    public String localAuthority;
    public String personRef;
    public DischargeEventType type;
    public String hospitalSite;
    public String pathway;
    public String delayReasonFamily;
    public String closeReason;

    public DischargeEvent() {
    }

    @Override
    public String toString() {
        return type + " " + eventId + " at " + java.time.Instant.ofEpochMilli(occurredAt) + " site " + hospitalSite
                + (pathway != null ? " " + pathway : "");
    }
}
