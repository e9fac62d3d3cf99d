package org.safepath.jobs.safeguarding;

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
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.schemas.EventStream;

/**
 * Safeguarding: events → dedupe → where each concern stands → concerns per care home and type of risk (with the
 * theme alert to the home's link worker), per location of risk, and per authority (unscreened, Section 42 conversion).
 */
public final class SafeguardingDomain implements Domain {

    public static final String NAME = "safeguarding";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(input(settings));
    }

    /** The safeguarding stream as read at the edge (other domains join on it too). */
    public static StreamInput<SafeguardingEvent> input(JobSettings settings) {
        return new StreamInput<>(EventStream.SAFEGUARDING,
                new SafeguardingEventReader(settings.pseudonymKeyFile(), settings.futureTolerance()), SafeguardingEvent.class);
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        SingleOutputStreamOperator<SafeguardingEvent> unique = DomainSteps.unique(
                inputs.events(EventStream.SAFEGUARDING, SafeguardingEvent.class), SafeguardingEvent.class, settings, NAME);
        SingleOutputStreamOperator<SafeguardingFact> facts = unique
                .keyBy(ConcernTracker::key)
                .process(new ConcernTracker(Duration.ofMillis(settings.catalogue().get("safeguarding.concerns_90d").windowMillis()),
                        settings.allowedLateness()), TypeInformation.of(SafeguardingFact.class))
                .name("track each concern").uid("safeguarding-concerns");

        SingleOutputStreamOperator<IndicatorUpdate> homes = aggregate(facts, SafeguardingFact.Kind.AT_CARE_HOME,
                new CareHomeModel(settings.catalogue()), settings, "care home and type of risk", "safeguarding-care-homes");
        DataStream<IndicatorUpdate> locations = aggregate(facts, SafeguardingFact.Kind.BY_LOCATION,
                new LocationModel(settings.catalogue()), settings, "location of risk", "safeguarding-locations");
        DataStream<IndicatorUpdate> authorities = aggregate(facts, SafeguardingFact.Kind.STATUS,
                new AuthorityModel(settings.catalogue()), settings, "authority", "safeguarding-authorities");

        return new DomainOutputs(homes.union(locations, authorities), homes.getSideOutput(LiveIndicatorAggregator.ALERTS),
                unique.getSideOutput(DeadLetters.TAG).union(facts.getSideOutput(DeadLetters.TAG)));
    }

    private static <S> SingleOutputStreamOperator<IndicatorUpdate> aggregate(DataStream<SafeguardingFact> facts, SafeguardingFact.Kind kind,
                                                                            IndicatorModel<SafeguardingFact, S> model, JobSettings settings,
                                                                            String by, String uid) {
        return DomainSteps.indicators(facts.filter(f -> f.kind == kind).name("concerns by " + by).uid(uid + "-facts"),
                SafeguardingFact.class, model, settings, true, "safeguarding indicators by " + by, uid);
    }
}
