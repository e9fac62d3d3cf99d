package org.safepath.jobs.discharge;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.DomainOutputs;
import org.safepath.jobs.pipeline.DomainSteps;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.RollUps;
import org.safepath.schemas.EventStream;

/**
 * Hospital discharge: events → dedupe → episodes per person → indicators per (authority, site, pathway), each
 * fact also counted under its site's all-pathways key (the catalogue's roll-up); anything not applied is a dead letter.
 */
public final class DischargeDomain implements Domain {

    public static final String NAME = "discharge";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StreamInput<?>> inputs(JobSettings settings) {
        return List.of(input(settings));
    }

    /** The hospital-discharge stream as read at the edge (other domains join on it too). */
    public static StreamInput<DischargeEvent> input(JobSettings settings) {
        return new StreamInput<>(EventStream.HOSPITAL_DISCHARGE, reader(settings), DischargeEvent.class);
    }

    public static DischargeEventReader reader(JobSettings settings) {
        return new DischargeEventReader(settings.pseudonymKeyFile(), settings.futureTolerance());
    }

    @Override
    public DomainOutputs wire(DomainInputs inputs, JobSettings settings) {
        DataStream<DischargeEvent> readable = inputs.events(EventStream.HOSPITAL_DISCHARGE, DischargeEvent.class);
        SingleOutputStreamOperator<DischargeEvent> unique = DomainSteps.unique(readable, DischargeEvent.class, settings, NAME);

        SingleOutputStreamOperator<DischargeFact> facts = unique
                .keyBy(e -> e.personRef)
                .process(new DischargeEpisodeTracker(settings.catalogue().get("discharge.readmissions_30d").duration("readmission_days"),
                        settings.earlyResults() ? settings.caughtUpWithin() : Duration.ZERO))
                .name("track episodes per person").uid("discharge-episodes");

        RollUps<DischargeFact> rollUps = RollUps.of(settings.catalogue(), NAME, DischargeFact::rolledUp);
        DataStream<IndicatorUpdate> values = DomainSteps.indicators(facts
                        .flatMap(rollUps, TypeInformation.of(DischargeFact.class))
                        .name("per pathway and per site").uid("discharge-per-site"),
                DischargeFact.class, new DischargeModel(settings.catalogue()), settings, false,
                "discharge indicators per site and pathway", "discharge-indicators");

        DataStream<DeadLetterRecord> deadLetters = unique.getSideOutput(DeadLetters.TAG).union(facts.getSideOutput(DeadLetters.TAG));
        return new DomainOutputs(values, null, deadLetters);
    }
}
