package org.safepath.connectors.kafka;

import org.safepath.records.DeadLetterReason;

/** An event that decoded but cannot be applied; its message must never include a person identifier. */
public class RejectedEventException extends Exception {
    private final DeadLetterReason reason;

    public RejectedEventException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
