package org.safepath.jobs.safeguarding;

import org.safepath.jobs.primitives.DimensionKey;

/**
 * What the concern tracker tells the safeguarding aggregators: a concern received at a care home (keyed by
 * authority and home), a concern received by location of risk (keyed by authority and location), or where a
 * concern stands (received, screened, the decision; keyed by authority). A Flink POJO.
 */
public class SafeguardingFact extends org.safepath.jobs.primitives.TimedFact {

    public enum Kind { AT_CARE_HOME, BY_LOCATION, STATUS }

    public Kind kind;
    public String localAuthority;
    public String concernId;
    /** The CONCERN_RECEIVED event's id: the evidence an alert lists. */
    public String receivedEventId;
    public long receivedAt;
    public String cqcLocationId;
    public String typeOfRisk;
    public String locationOfRisk;
    /** When screened, or null while not screened. */
    public Long screenedAt;
    public boolean section42;

    public SafeguardingFact() {
    }

    @Override
    public DimensionKey key() {
        return switch (kind) {
            case AT_CARE_HOME -> DimensionKey.of("local_authority", localAuthority, "cqc_location_id", cqcLocationId);
            case BY_LOCATION -> DimensionKey.of("local_authority", localAuthority, "location_of_risk", locationOfRisk);
            case STATUS -> DimensionKey.of("local_authority", localAuthority);
        };
    }

    @Override
    public String identity() {
        return kind + " " + concernId;
    }

    SafeguardingFact as(Kind k) {
        SafeguardingFact f = new SafeguardingFact();
        f.kind = k;
        f.localAuthority = localAuthority;
        f.concernId = concernId;
        f.receivedEventId = receivedEventId;
        f.receivedAt = receivedAt;
        f.cqcLocationId = cqcLocationId;
        f.typeOfRisk = typeOfRisk;
        f.locationOfRisk = locationOfRisk;
        f.screenedAt = screenedAt;
        f.section42 = section42;
        f.factTime = factTime;
        return f;
    }
}
