package org.safepath.jobs.placements;

import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.TimedFact;

/**
 * A person's service at a provider, as now known: who placed them (authority and team), where the provider is, when
 * it started and ended. The person is their pseudonym, so two services for one person count once. A Flink POJO.
 */
public class PlacementFact extends TimedFact {
    public String localAuthority;
    public String hostLocalAuthority;
    public String providerLocationId;
    public String personRef;
    public String team;
    public String startEventId;
    public long startedAt;
    public Long endedAt;

    public PlacementFact() {
    }

    @Override
    public DimensionKey key() {
        return DimensionKey.of("local_authority", localAuthority, "host_local_authority", hostLocalAuthority);
    }

    @Override
    public String identity() {
        return "placement " + startEventId;
    }

    public boolean outOfArea() {
        return !localAuthority.equals(hostLocalAuthority);
    }

    public boolean openAt(long t) {
        return startedAt <= t && (endedAt == null || endedAt > t);
    }

    PlacementFact copy() {
        PlacementFact f = new PlacementFact();
        f.localAuthority = localAuthority;
        f.hostLocalAuthority = hostLocalAuthority;
        f.providerLocationId = providerLocationId;
        f.personRef = personRef;
        f.team = team;
        f.startEventId = startEventId;
        f.startedAt = startedAt;
        f.endedAt = endedAt;
        f.factTime = factTime;
        f.provisional = provisional;
        return f;
    }
}
