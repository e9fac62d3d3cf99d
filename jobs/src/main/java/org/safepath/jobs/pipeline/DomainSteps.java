package org.safepath.jobs.pipeline;

import java.time.Duration;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.primitives.Deduplicator;
import org.safepath.jobs.primitives.IndicatorFact;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.jobs.primitives.TrackedEvent;

/** The steps every domain wires the same way, with the job's settings: dedupe by event id, and a live aggregator. */
public final class DomainSteps {

    private DomainSteps() {
    }

    /** Each event once, by event id; later than the allowed lateness goes to the dead-letter side output. */
    public static <T extends TrackedEvent> SingleOutputStreamOperator<T> unique(DataStream<T> events, Class<T> type,
                                                                              JobSettings settings, String domain) {
        return events.keyBy(TrackedEvent::eventId)
                .process(new Deduplicator<T>(settings.allowedLateness(), settings.allowedLateness().plus(Duration.ofDays(1))),
                        TypeInformation.of(type))
                .name("deduplicate by event id").uid(domain + "-dedupe");
    }

    /**
     * A domain's model over its facts, keyed by dimension key. {@code earlyOnArrival}: the facts are final when they
     * arrive, so a recent one is shown at once (a domain with provisional facts of its own passes false).
     */
    public static <F extends IndicatorFact, S> SingleOutputStreamOperator<IndicatorUpdate> indicators(
            DataStream<F> facts, Class<F> type, IndicatorModel<F, S> model, JobSettings settings, boolean earlyOnArrival,
            String name, String uid) {
        return facts.keyBy(IndicatorFact::key)
                .process(new LiveIndicatorAggregator<>(model, TypeInformation.of(type), settings.emitGranularity(),
                                settings.allowedLateness(), settings.evaluateUntil(), settings.writeHistory(),
                                earlyOnArrival && settings.earlyResults() ? settings.caughtUpWithin() : Duration.ZERO),
                        TypeInformation.of(IndicatorUpdate.class))
                .name(name).uid(uid);
    }
}
