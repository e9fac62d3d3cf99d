package org.safepath.jobs.pipeline;

import java.util.List;

import org.safepath.jobs.discharge.DischargeDomain;
import org.safepath.jobs.brokerage.BrokerageDomain;
import org.safepath.jobs.providers.ProvidersDomain;
import org.safepath.jobs.placements.PlacementsDomain;
import org.safepath.jobs.safeguarding.SafeguardingDomain;
import org.safepath.jobs.transitions.TransitionsDomain;
import org.safepath.jobs.waiting.WaitingDomain;

/** Every indicator domain SafePath runs: the live job, the backtest and the demo loop over this list. */
public final class Domains {

    private Domains() {
    }

    /** Each input stream these domains read, with its reader: read once, however many domains use it. */
    public static java.util.Map<org.safepath.schemas.EventStream, StreamInput<?>> readers(List<Domain> domains,
                                                                                          org.safepath.jobs.config.JobSettings settings) {
        java.util.Map<org.safepath.schemas.EventStream, StreamInput<?>> readers = new java.util.EnumMap<>(org.safepath.schemas.EventStream.class);
        for (Domain d : domains) {
            for (StreamInput<?> in : d.inputs(settings)) {
                readers.put(in.stream(), in);
            }
        }
        return readers;
    }

    public static List<Domain> all() {
        return List.of(new DischargeDomain(), new SafeguardingDomain(), new ProvidersDomain(), new BrokerageDomain(),
                new WaitingDomain(), new TransitionsDomain(), new PlacementsDomain());
    }
}
