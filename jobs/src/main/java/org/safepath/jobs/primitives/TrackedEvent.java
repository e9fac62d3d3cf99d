package org.safepath.jobs.primitives;

import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.FromSource;
import org.safepath.records.DeadLetterReason;

/** What the shared primitives need of any domain event: its id, its event time, and where it came from. */
public interface TrackedEvent extends FromSource {
    String eventId();

    long occurredAt();

    /** A dead letter pointing at the source record; no raw bytes, which would carry the person in clear. */
    DeadLetterRecord deadLetter(DeadLetterReason reason, String detail);
}
