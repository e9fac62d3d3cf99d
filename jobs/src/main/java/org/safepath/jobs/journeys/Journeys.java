package org.safepath.jobs.journeys;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.DomainSteps;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.schemas.EventStream;

/** The care-journey stream as the waiting-list, transitions and placements domains read it. */
public final class Journeys {

    private Journeys() {
    }

    public static StreamInput<CareJourneyEvent> input(JobSettings settings) {
        return new StreamInput<>(EventStream.CARE_JOURNEY,
                new CareJourneyEventReader(settings.pseudonymKeyFile(), settings.futureTolerance()), CareJourneyEvent.class);
    }

    /** The domain's own events of the stream (the others are another domain's), each once by event id. */
    public static SingleOutputStreamOperator<CareJourneyEvent> unique(DomainInputs inputs, JobSettings settings, String domain,
                                                                     FilterFunction<CareJourneyEvent> mine) {
        return DomainSteps.unique(inputs.events(EventStream.CARE_JOURNEY, CareJourneyEvent.class)
                .filter(mine).name(domain + " events").uid(domain + "-journey-events"), CareJourneyEvent.class, settings, domain);
    }
}
