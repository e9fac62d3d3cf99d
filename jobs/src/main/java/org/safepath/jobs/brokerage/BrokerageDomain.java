package org.safepath.jobs.brokerage;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.DomainOutputs;
import org.safepath.jobs.pipeline.DomainSteps;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.providers.ProviderConcern;
import org.safepath.jobs.providers.ProvidersDomain;
import org.safepath.schemas.EventStream;

/**
 * Brokerage: requests → where each stands → open requests by urgency, unsourced over 72 hours, same-day responses,
 * hours to source; and the critical alert when care is sourced from a provider whose suspension is in force.
 */
public final class BrokerageDomain implements Domain {

    public static final String NAME = "brokerage";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(new StreamInput<>(EventStream.BROKERAGE, new BrokerageEventReader(settings.futureTolerance()), BrokerageEvent.class),
                ProvidersDomain.concernsInput(settings));
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        SingleOutputStreamOperator<BrokerageEvent> unique = DomainSteps.unique(
                inputs.events(EventStream.BROKERAGE, BrokerageEvent.class), BrokerageEvent.class, settings, NAME);
        SingleOutputStreamOperator<RequestFact> facts = unique
                .keyBy(RequestTracker::key)
                .process(new RequestTracker(Duration.ofMillis(settings.catalogue().get("brokerage.median_hours_to_source_28d").windowMillis()),
                        settings.allowedLateness()), TypeInformation.of(RequestFact.class))
                .name("track each request").uid("brokerage-requests");

        var catalogue = settings.catalogue();
        DataStream<IndicatorUpdate> values = aggregate(facts, RequestFact.Kind.OPEN, new BrokerageModels.OpenRequests(catalogue), settings, "open")
                .union(aggregate(facts, RequestFact.Kind.UNSOURCED, new BrokerageModels.Unsourced(catalogue), settings, "unsourced"),
                        aggregate(facts, RequestFact.Kind.RESPONSE, new BrokerageModels.SameDayResponse(catalogue), settings, "response"),
                        aggregate(facts, RequestFact.Kind.SOURCING, new BrokerageModels.HoursToSource(catalogue), settings, "sourcing"));

        DataStream<ProviderConcern> concerns = inputs.events(EventStream.PROVIDER_CONCERNS, ProviderConcern.class);
        DataStream<AlertCandidate> suspended = concerns.keyBy(c -> c.providerLocationId)
                .connect(unique.filter(e -> e.type.equals("SOURCED")).name("sourced").uid("brokerage-sourced")
                        .keyBy(e -> e.providerLocationId))
                .process(new SuspendedProviderCheck(settings.allowedLateness()), TypeInformation.of(AlertCandidate.class))
                .name("sourced from a suspended provider?").uid("brokerage-suspended-provider");

        return new DomainOutputs(values, suspended, unique.getSideOutput(DeadLetters.TAG).union(facts.getSideOutput(DeadLetters.TAG)));
    }

    private static <S> SingleOutputStreamOperator<IndicatorUpdate> aggregate(DataStream<RequestFact> facts, RequestFact.Kind kind,
                                                                            IndicatorModel<RequestFact, S> model, JobSettings settings, String name) {
        return DomainSteps.indicators(facts.filter(f -> f.kind == kind).name("requests: " + name).uid("brokerage-" + name + "-facts"),
                RequestFact.class, model, settings, true, "brokerage indicators: " + name, "brokerage-" + name);
    }
}
