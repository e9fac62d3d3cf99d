package org.safepath.jobs.providers;

import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.DomainOutputs;
import org.safepath.jobs.pipeline.DomainSteps;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.jobs.safeguarding.SafeguardingEvent;
import org.safepath.schemas.EventStream;

/**
 * Providers (market oversight): per care provider location, from the provider-concern feed, the provider reference
 * data and the safeguarding concerns received there: open concerns, suspension, safeguarding per 10 beds, the risk
 * score with its components, and the alert to market oversight when a provider turns red or its score jumps.
 */
public final class ProvidersDomain implements Domain {

    public static final String NAME = "providers";

    @Override
    public String name() {
        return NAME;
    }

    /** The provider-concern feed, read once for every domain that needs it (providers, brokerage's suspension check). */
    public static StreamInput<ProviderConcern> concernsInput(JobSettings settings) {
        return new StreamInput<>(EventStream.PROVIDER_CONCERNS, new ProviderConcernReader(settings.futureTolerance()), ProviderConcern.class);
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(concernsInput(settings));
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        SingleOutputStreamOperator<ProviderConcern> concerns = DomainSteps.unique(
                inputs.events(EventStream.PROVIDER_CONCERNS, ProviderConcern.class), ProviderConcern.class, settings, NAME);
        DataStream<ProviderFact> fromConcerns = concerns.map(ProvidersDomain::concernFact, TypeInformation.of(ProviderFact.class))
                .name("provider concerns").uid("providers-concern-facts");
        DataStream<ProviderFact> fromReference = inputs.providerReference()
                .map(ProvidersDomain::referenceFact, TypeInformation.of(ProviderFact.class))
                .name("provider reference data").uid("providers-reference-facts");
        // Every safeguarding concern received at a care or community service counts at that location (the model counts
        // a concern once by its id, so a redelivered receipt is not counted twice).
        DataStream<ProviderFact> fromSafeguarding = inputs.events(EventStream.SAFEGUARDING, SafeguardingEvent.class)
                .filter(e -> e.type == org.safepath.events.SafeguardingEventType.CONCERN_RECEIVED && e.cqcLocationId != null)
                .name("concerns at a location").uid("providers-safeguarding-filter")
                .map(ProvidersDomain::safeguardingFact, TypeInformation.of(ProviderFact.class))
                .name("safeguarding at providers").uid("providers-safeguarding-facts");

        SingleOutputStreamOperator<IndicatorUpdate> values = DomainSteps.indicators(fromConcerns.union(fromReference, fromSafeguarding),
                ProviderFact.class, new ProviderRiskModel(settings.catalogue()), settings, true, "provider indicators", "providers-indicators");
        return new DomainOutputs(values, values.getSideOutput(LiveIndicatorAggregator.ALERTS), concerns.getSideOutput(DeadLetters.TAG));
    }

    static ProviderFact concernFact(ProviderConcern c) {
        ProviderFact f = new ProviderFact();
        f.kind = ProviderFact.Kind.CONCERN;
        f.providerLocationId = c.providerLocationId;
        f.localAuthority = c.localAuthority;
        f.factTime = c.occurredAt;
        f.concernKind = c.kind;
        f.concernId = c.concernId;
        f.closed = c.closed;
        f.cqcRating = c.cqcRating;
        f.eventId = c.eventId;
        return f;
    }

    static ProviderFact referenceFact(ProviderReference r) {
        ProviderFact f = new ProviderFact();
        f.kind = ProviderFact.Kind.REFERENCE;
        f.providerLocationId = r.getLocationId();
        f.localAuthority = r.getLocalAuthority();
        f.factTime = r.getUpdatedAt().toEpochMilli();
        f.beds = r.getBeds();
        f.cqcOverall = r.getCqcOverall().name();
        f.pammsRating = r.getPammsRating() == null ? null : r.getPammsRating().name();
        f.careStaff = r.getCareStaff();
        f.sponsoredWorkers = r.getSponsoredWorkers();
        return f;
    }

    static ProviderFact safeguardingFact(SafeguardingEvent e) {
        ProviderFact f = new ProviderFact();
        f.kind = ProviderFact.Kind.SAFEGUARDING;
        f.providerLocationId = e.cqcLocationId;
        f.localAuthority = e.localAuthority;
        f.factTime = e.occurredAt;
        f.concernId = e.localAuthority + "/" + e.concernId;
        f.eventId = e.eventId;
        return f;
    }
}
