package org.safepath.jobs.discharge;

import java.time.Duration;

import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.Ingested;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.primitives.DeadLetterAccounting;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.Deduplicator;
import org.safepath.jobs.primitives.Sources;
import org.safepath.jobs.primitives.SplitIngested;
import org.safepath.schemas.EventStream;

/**
 * Hospital discharge: events → (decode, validate, pseudonymise) → dedupe → episodes per person →
 * indicators per (authority, site, pathway) → Elasticsearch; anything not applied → dead-letter topic.
 */
public final class DischargeJob {

    public static final String NAME = "discharge";

    private DischargeJob() {
    }

    /** The live job: the hospital-discharge topic in, Elasticsearch and the dead-letter topic out. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings,
                             Sink<IndexOperation> indicators, Sink<DeadLetterRecord> deadLetters) {
        DataStream<Ingested<DischargeEvent>> ingested = Sources.kafka(env, settings, EventStream.HOSPITAL_DISCHARGE, NAME,
                reader(settings), TypeInformation.of(new TypeHint<Ingested<DischargeEvent>>() {
                }));
        Outputs out = wire(ingested, settings);
        DataStream<IndexOperation> deadLetterDocuments = out.deadLetters()
                .process(new DeadLetterAccounting(), TypeInformation.of(IndexOperation.class))
                .name("count dead letters").uid("discharge-dead-letter-accounting");
        out.indicators().union(deadLetterDocuments).sinkTo(indicators).name("indicators to Elasticsearch").uid("discharge-es-sink");
        out.deadLetters().sinkTo(deadLetters).name("dead letters to Kafka").uid("discharge-dead-letter-sink");
    }

    public static DischargeEventReader reader(JobSettings settings) {
        return new DischargeEventReader(settings.pseudonymKeyFile(), settings.futureTolerance());
    }

    /** What the job produces: indicator documents, and the records it could not apply. */
    public record Outputs(DataStream<IndexOperation> indicators, DataStream<DeadLetterRecord> deadLetters) {
    }

    /**
     * The job's logic from ingested events (with timestamps and watermarks) to its outputs: the same for the
     * live job and for a backtest over files.
     */
    public static Outputs wire(DataStream<Ingested<DischargeEvent>> ingested, JobSettings settings) {
        SingleOutputStreamOperator<DischargeEvent> readable = ingested
                .process(new SplitIngested<>(), TypeInformation.of(DischargeEvent.class))
                .name("dead-letter what cannot be read").uid("discharge-split");

        SingleOutputStreamOperator<DischargeEvent> unique = readable
                .keyBy(e -> e.eventId)
                .process(new Deduplicator<DischargeEvent>(settings.allowedLateness(), settings.allowedLateness().plus(Duration.ofDays(1))),
                        TypeInformation.of(DischargeEvent.class))
                .name("deduplicate by event id").uid("discharge-dedupe");

        SingleOutputStreamOperator<DischargeFact> facts = unique
                .keyBy(e -> e.personRef)
                .process(new DischargeEpisodeTracker(Duration.ofMillis((long) (settings.catalogue()
                        .get("discharge.readmissions_30d").parameter("readmission_days") * DischargeIndicators.DAY)),
                        settings.earlyResults() ? settings.caughtUpWithin() : Duration.ZERO))
                .name("track episodes per person").uid("discharge-episodes");

        // Each fact counts under its pathway and under its site's all-pathways key (the site-level RAG).
        DataStream<DischargeFact> byPathwayAndSite = facts
                .flatMap((DischargeFact f, org.apache.flink.util.Collector<DischargeFact> out) -> {
                    out.collect(f);
                    out.collect(f.forAllPathways());
                }, TypeInformation.of(DischargeFact.class))
                .name("per pathway and per site").uid("discharge-per-site");

        DataStream<IndexOperation> documents = byPathwayAndSite.keyBy(DischargeFact::dimensionKey)
                .process(new DischargeIndicatorAggregator(settings.catalogue(), settings.emitGranularity(),
                        settings.allowedLateness(), settings.evaluateUntil(), settings.writeHistory()))
                .name("discharge indicators per site and pathway").uid("discharge-indicators");

        DataStream<DeadLetterRecord> deadLetters = readable.getSideOutput(DeadLetters.TAG)
                .union(unique.getSideOutput(DeadLetters.TAG), facts.getSideOutput(DeadLetters.TAG));
        return new Outputs(documents, deadLetters);
    }
}
