package org.safepath.jobs.placements;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.journeys.Journeys;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.DomainOutputs;
import org.safepath.jobs.pipeline.DomainSteps;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.providers.ProviderConcern;
import org.safepath.jobs.providers.ProvidersDomain;
import org.safepath.jobs.safeguarding.SafeguardingDomain;
import org.safepath.jobs.safeguarding.SafeguardingEvent;
import org.safepath.schemas.EventStream;

/**
 * Out-of-area placements: services at providers → each person's placements → people placed by host authority; and
 * the alert to the placing team when news comes about a provider where its people are placed out of area.
 */
public final class PlacementsDomain implements Domain {

    public static final String NAME = "placements";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(Journeys.input(settings), SafeguardingDomain.input(settings), ProvidersDomain.concernsInput(settings));
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        SingleOutputStreamOperator<CareJourneyEvent> services = Journeys.unique(inputs, settings, NAME, PlacementTracker::isPlacementEvent);
        SingleOutputStreamOperator<PlacementFact> placements = services.keyBy(e -> e.personRef)
                .process(new PlacementTracker(settings.allowedLateness(), settings.earlyResults() ? settings.caughtUpWithin() : Duration.ZERO),
                        TypeInformation.of(PlacementFact.class))
                .name("track each person's placements").uid("placements-people");
        SingleOutputStreamOperator<PlacementFact> outOfArea = placements.filter(PlacementFact::outOfArea)
                .name("placed out of area").uid("placements-out-of-area");
        DataStream<IndicatorUpdate> values = DomainSteps.indicators(outOfArea, PlacementFact.class, new PlacementsModel(settings.catalogue()),
                settings, false, "out-of-area placements by host authority", "placements-indicators");

        TypeInformation<HostNews> news = TypeInformation.of(HostNews.class);
        DataStream<HostNews> concerns = inputs.events(EventStream.SAFEGUARDING, SafeguardingEvent.class)
                .filter(HostNews::isNews).name("concerns at a provider").uid("placements-concerns")
                .map(HostNews::of, news).name("concern as news").uid("placements-concern-news");
        DataStream<HostNews> notices = inputs.events(EventStream.PROVIDER_CONCERNS, ProviderConcern.class)
                .filter(HostNews::isNews).name("suspensions and Inadequate ratings").uid("placements-notices")
                .map(HostNews::of, news).name("notice as news").uid("placements-notice-news");
        DataStream<AlertCandidate> alerts = outOfArea.filter(f -> !f.provisional).name("exact placements").uid("placements-exact")
                .keyBy(f -> f.providerLocationId)
                .connect(concerns.union(notices).keyBy(n -> n.providerLocationId))
                .process(new HostNewsCheck(settings.allowedLateness()), TypeInformation.of(AlertCandidate.class))
                .name("news at a host provider?").uid("placements-host-news");

        return new DomainOutputs(values, alerts, services.getSideOutput(DeadLetters.TAG).union(placements.getSideOutput(DeadLetters.TAG)));
    }
}
