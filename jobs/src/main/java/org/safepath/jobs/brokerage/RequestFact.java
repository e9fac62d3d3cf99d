package org.safepath.jobs.brokerage;

import java.util.ArrayList;
import java.util.List;

import org.safepath.jobs.primitives.DimensionKey;

/**
 * Where a brokerage request stands, told to one of the brokerage aggregators: open requests by urgency (one fact
 * per urgency the request has held, so an escalation moves it between rows as of its time), unsourced requests,
 * same-day responses, hours to source. Each fact carries the whole request, so the order they arrive in does not
 * matter. A Flink POJO.
 */
public class RequestFact extends org.safepath.jobs.primitives.TimedFact {

    public enum Kind { OPEN, UNSOURCED, RESPONSE, SOURCING }

    public Kind kind;
    public String localAuthority;
    public String requestId;
    public long requestedAt;
    public String packageType;
    public String area;
    /** When the urgency took each value: the request's own, then each escalation. */
    public List<Long> urgencySince = new ArrayList<>();
    public List<String> urgencies = new ArrayList<>();
    /** For an OPEN fact: the urgency row it is told to. */
    public String keyUrgency;
    public Long respondedAt;
    public Long sourcedAt;
    /** Sourced or cancelled. */
    public Long endedAt;

    public RequestFact() {
    }

    @Override
    public DimensionKey key() {
        return switch (kind) {
            case OPEN -> DimensionKey.of("local_authority", localAuthority, "package_type", packageType, "urgency", keyUrgency, "area", area);
            case UNSOURCED -> DimensionKey.of("local_authority", localAuthority, "package_type", packageType, "area", area);
            case RESPONSE -> DimensionKey.of("local_authority", localAuthority);
            case SOURCING -> DimensionKey.of("local_authority", localAuthority, "package_type", packageType);
        };
    }

    @Override
    public String identity() {
        return kind + " " + requestId;
    }

    /** The urgency as of t (null before the request). */
    String urgencyAt(long t) {
        return org.safepath.jobs.primitives.Timelines.at(urgencySince, urgencies, t);
    }

    boolean openAt(long t) {
        return requestedAt <= t && (endedAt == null || endedAt > t);
    }

    RequestFact as(Kind k, String urgencyRow) {
        RequestFact f = new RequestFact();
        f.kind = k;
        f.localAuthority = localAuthority;
        f.requestId = requestId;
        f.requestedAt = requestedAt;
        f.packageType = packageType;
        f.area = area;
        f.urgencySince = new ArrayList<>(urgencySince);
        f.urgencies = new ArrayList<>(urgencies);
        f.keyUrgency = urgencyRow;
        f.respondedAt = respondedAt;
        f.sourcedAt = sourcedAt;
        f.endedAt = endedAt;
        f.factTime = factTime;
        return f;
    }
}
