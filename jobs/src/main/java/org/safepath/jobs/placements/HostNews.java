package org.safepath.jobs.placements;

import org.safepath.jobs.providers.ProviderConcern;
import org.safepath.jobs.safeguarding.SafeguardingEvent;

/**
 * News about a provider that a placing council must hear (INDICATORS.md, out-of-area placements): a new safeguarding
 * concern there, a suspension, or an Inadequate rating. A Flink POJO.
 */
public class HostNews {

    public enum Kind { SAFEGUARDING_CONCERN, SUSPENSION_STARTED, RATED_INADEQUATE }

    public Kind kind;
    public String providerLocationId;
    public long at;
    public String eventId;
    /** A concern's type of risk; null otherwise. */
    public String typeOfRisk;

    public HostNews() {
    }

    /** A concern at a care or community service is news; one elsewhere (own home, hospital) is not. */
    public static boolean isNews(SafeguardingEvent e) {
        return e.type == org.safepath.events.SafeguardingEventType.CONCERN_RECEIVED && e.cqcLocationId != null;
    }

    public static boolean isNews(ProviderConcern c) {
        return !c.closed && (c.kind.equals("SUSPENSION_STARTED") || (c.kind.equals("CQC_RATING_PUBLISHED") && "INADEQUATE".equals(c.cqcRating)));
    }

    static HostNews of(SafeguardingEvent e) {
        HostNews n = base(e.cqcLocationId, e.occurredAt, e.eventId, Kind.SAFEGUARDING_CONCERN);
        n.typeOfRisk = e.typeOfRisk;
        return n;
    }

    static HostNews of(ProviderConcern c) {
        return base(c.providerLocationId, c.occurredAt, c.eventId,
                c.kind.equals("SUSPENSION_STARTED") ? Kind.SUSPENSION_STARTED : Kind.RATED_INADEQUATE);
    }

    private static HostNews base(String location, long at, String eventId, Kind kind) {
        HostNews n = new HostNews();
        n.providerLocationId = location;
        n.at = at;
        n.eventId = eventId;
        n.kind = kind;
        return n;
    }

    /** A concern may be nothing; a suspension or an Inadequate rating is serious: a concern then a suspension escalates. */
    String severity() {
        return kind == Kind.SAFEGUARDING_CONCERN ? "WARNING" : "HIGH";
    }
}
