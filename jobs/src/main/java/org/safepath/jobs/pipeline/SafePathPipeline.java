package org.safepath.jobs.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.IndicatorDocuments;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.AlertRaiser;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.records.Alert;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * Every domain wired into one graph: their indicator values, their alert candidates through the one alert
 * raiser (cooldown, escalation, audience from the provider reference data), and every dead letter.
 */
public final class SafePathPipeline {

    private SafePathPipeline() {
    }

    /** What the pipeline produces, before the sinks: the same for the live job and a backtest. */
    public record Outputs(DataStream<IndicatorUpdate> indicators, DataStream<Alert> alerts, DataStream<DeadLetterRecord> deadLetters) {
    }

    /** {@code readErrors}: what the inputs could not read; the domains' own dead letters are added to them. */
    public static Outputs wire(DomainInputs inputs, JobSettings settings, List<Domain> domains,
                               java.util.function.Supplier<List<DataStream<DeadLetterRecord>>> readErrors) {
        List<DataStream<IndicatorUpdate>> indicators = new ArrayList<>();
        List<DataStream<AlertCandidate>> candidates = new ArrayList<>();
        List<DataStream<DeadLetterRecord>> deadLetters = new ArrayList<>();
        for (Domain d : domains) {
            DomainOutputs out = d.wire(inputs, settings);
            indicators.add(out.indicators());
            if (out.alertCandidates() != null) {
                candidates.add(out.alertCandidates());
            }
            if (out.deadLetters() != null) {
                deadLetters.add(out.deadLetters());
            }
        }
        DataStream<Alert> alerts = null;
        if (!candidates.isEmpty()) {
            BroadcastStream<ProviderReference> providers = inputs.providerReference().broadcast(AlertRaiser.PROVIDERS);
            DataStream<AlertCandidate> all = union(candidates);
            if (settings.evaluateUntil() != JobSettings.UNBOUNDED) {
                // A bounded run ends with the watermark at the end of time: a rule timed after its instant (an 18th
                // birthday still to come) must not fire as though that day had come.
                long until = settings.evaluateUntil();
                all = all.filter(c -> c.raisedAt <= until).name("alerts up to the backtest's instant").uid("alerts-until");
            }
            alerts = all.keyBy(AlertRaiser::key).connect(providers)
                    .process(new AlertRaiser(settings.catalogue()), TypeInformation.of(Alert.class))
                    .name("raise alerts (cooldown, escalation, audience)").uid("alerts");
        }
        deadLetters.addAll(readErrors.get());
        return new Outputs(union(indicators), alerts, union(deadLetters));
    }

    /** The streams as one (at least one stream). */
    public static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.union(streams.get(i));
        }
        return all;
    }

    /** Indicator values as the documents that hold them: the one place the typed value becomes JSON. */
    public static final class ToDocuments implements MapFunction<IndicatorUpdate, IndexOperation> {
        private final IndicatorCatalogue catalogue;

        public ToDocuments(IndicatorCatalogue catalogue) {
            this.catalogue = catalogue;
        }

        @Override
        public IndexOperation map(IndicatorUpdate u) {
            IndicatorDocuments.Value v = IndicatorDocuments.of(u.value, catalogue.get(u.indicator()));
            return switch (u.target) {
                case CURRENT -> IndicatorDocuments.current(v);
                case PROVISIONAL -> IndicatorDocuments.provisionalCurrent(v);
                case HISTORY -> IndicatorDocuments.history(v);
            };
        }
    }
}
