package org.safepath.jobs.pipeline;

import java.util.List;

import org.safepath.jobs.discharge.DischargeDomain;
import org.safepath.jobs.brokerage.BrokerageDomain;
import org.safepath.jobs.providers.ProvidersDomain;
import org.safepath.jobs.safeguarding.SafeguardingDomain;

/** Every indicator domain SafePath runs: the live job, the backtest and the demo loop over this list. */
public final class Domains {

    private Domains() {
    }

    public static List<Domain> all() {
        return List.of(new DischargeDomain(), new SafeguardingDomain(), new ProvidersDomain(), new BrokerageDomain());
    }
}
