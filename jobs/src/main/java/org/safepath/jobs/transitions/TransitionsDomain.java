package org.safepath.jobs.transitions;

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
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;

/**
 * Transitions from children's to adult services: young people identified, their adult requests and assessments →
 * each young person as known → tracked (14 to 25), no adult request at 17.5, no assessment at 18; and the
 * cliff-edge alert to the transitions team at the 18th birthday.
 */
public final class TransitionsDomain implements Domain {

    public static final String NAME = "transitions";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(Journeys.input(settings));
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        SingleOutputStreamOperator<CareJourneyEvent> events = Journeys.unique(inputs, settings, NAME, TransitionTracker::isTransitionEvent);
        SingleOutputStreamOperator<TransitionFact> facts = events.keyBy(e -> e.personRef)
                .process(new TransitionTracker(settings.catalogue(), settings.allowedLateness()), TypeInformation.of(TransitionFact.class))
                .name("track each young person").uid("transitions-people");
        DataStream<IndicatorUpdate> values = DomainSteps.indicators(facts, TransitionFact.class, new TransitionsModel(settings.catalogue()),
                settings, true, "transitions indicators", "transitions-indicators");
        return new DomainOutputs(values, facts.getSideOutput(LiveIndicatorAggregator.ALERTS), events.getSideOutput(DeadLetters.TAG));
    }
}
