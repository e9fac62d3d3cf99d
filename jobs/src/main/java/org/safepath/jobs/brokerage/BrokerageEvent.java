package org.safepath.jobs.brokerage;

import org.safepath.jobs.primitives.SourcedEvent;

/** A brokerage event after the ingest edge. Brokerage counts requests, not people: no person is kept. A Flink POJO. */
public class BrokerageEvent extends SourcedEvent {
    public String localAuthority;
    /** A {@code BrokerageEventType} symbol. */
    public String type;
    public String requestId;
    public String packageType;
    public String urgency;
    public String area;
    public String providerLocationId;

    public BrokerageEvent() {
    }

}
