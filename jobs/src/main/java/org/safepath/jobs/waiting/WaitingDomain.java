package org.safepath.jobs.waiting;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.discharge.DischargeDomain;
import org.safepath.jobs.discharge.DischargeEvent;
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
import org.safepath.jobs.safeguarding.SafeguardingDomain;
import org.safepath.jobs.safeguarding.SafeguardingEvent;
import org.safepath.events.DischargeEventType;
import org.safepath.events.SafeguardingEventType;
import org.safepath.schemas.EventStream;

/**
 * Waiting lists: waits → where each stands → people waiting, over the priority's threshold, median wait and the
 * ADASS bands by (authority, team, waiting for, priority); and waiting well: the person's waits joined with their
 * safeguarding concerns and discharge-ready events, raising an alert to the team that holds the wait.
 */
public final class WaitingDomain implements Domain {

    public static final String NAME = "waiting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(Journeys.input(settings), SafeguardingDomain.input(settings), DischargeDomain.input(settings));
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        SingleOutputStreamOperator<CareJourneyEvent> waits = Journeys.unique(inputs, settings, NAME, WaitTracker::isWaitEvent);
        SingleOutputStreamOperator<WaitFact> facts = waits.keyBy(WaitTracker::key)
                .process(new WaitTracker(settings.allowedLateness(), settings.earlyResults() ? settings.caughtUpWithin() : Duration.ZERO),
                        TypeInformation.of(WaitFact.class))
                .name("track each wait").uid("waiting-waits");
        DataStream<IndicatorUpdate> values = DomainSteps.indicators(facts, WaitFact.class, new WaitingModel(settings.catalogue()),
                settings, false, "waiting-list indicators", "waiting-indicators");

        TypeInformation<PersonMoment> moment = TypeInformation.of(PersonMoment.class);
        DataStream<PersonMoment> concerns = inputs.events(EventStream.SAFEGUARDING, SafeguardingEvent.class)
                .filter(e -> e.type == SafeguardingEventType.CONCERN_RECEIVED).name("concerns received").uid("waiting-concerns")
                .map(PersonMoment::of, moment).name("concern about a person").uid("waiting-concern-moments");
        DataStream<PersonMoment> ready = inputs.events(EventStream.HOSPITAL_DISCHARGE, DischargeEvent.class)
                .filter(e -> e.type == DischargeEventType.DISCHARGE_READY).name("discharge ready").uid("waiting-discharge-ready")
                .map(PersonMoment::of, moment).name("person ready for discharge").uid("waiting-ready-moments");
        DataStream<AlertCandidate> waitingWell = waits.map(PersonMoment::of, moment).name("a person's wait").uid("waiting-wait-moments")
                .union(concerns, ready)
                .keyBy(m -> m.personRef)
                .process(new WaitingWellCheck(settings.allowedLateness()), TypeInformation.of(AlertCandidate.class))
                .name("waiting well: harm while waiting?").uid("waiting-well");

        return new DomainOutputs(values, waitingWell, waits.getSideOutput(DeadLetters.TAG).union(facts.getSideOutput(DeadLetters.TAG)));
    }
}
