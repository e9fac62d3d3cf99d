package org.safepath.jobs.primitives;


import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.kafka.ConfluentAvroDeserializationSchema;
import org.safepath.connectors.kafka.EventReader;
import org.safepath.connectors.kafka.Ingested;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.jobs.config.JobSettings;
import org.safepath.schemas.EventStream;

/**
 * A stream's Kafka source as every job opens it: Confluent-wire Avro read and pseudonymised in the source,
 * offsets committed on checkpoints (starting from the earliest on a new group), event-time watermarks that
 * tolerate {@code out-of-orderness} and do not stall on an idle partition.
 */
public final class Sources {
    private Sources() {
    }

    public static <T extends TrackedEvent> DataStream<Ingested<T>> kafka(StreamExecutionEnvironment env, JobSettings settings,
                                                                       EventStream stream, String job, EventReader<T> reader,
                                                                       TypeInformation<Ingested<T>> type) {
        KafkaSource<Ingested<T>> source = KafkaSource.<Ingested<T>>builder()
                .setBootstrapServers(settings.kafkaBootstrapServers())
                .setTopics(stream.topic(settings.topicPrefix()))
                .setGroupId(settings.consumerGroupPrefix() + "-" + job)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ConfluentAvroDeserializationSchema<>(RegistrySettings.fromEnvironment(settings.registryUrl()), reader, type))
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
        return env.fromSource(source, liveWatermarks(settings), stream.streamName() + " events")
                .uid(job + "-source-" + stream.streamName());
    }

    /**
     * As {@link #watermarks}, but a caught-up partition quiet for {@code source-idleness} follows the clock, and one
     * reading history never does (see {@link LiveClockWatermarks}).
     */
    public static <T extends TrackedEvent> WatermarkStrategy<Ingested<T>> liveWatermarks(JobSettings settings) {
        java.time.Duration outOfOrderness = settings.outOfOrderness();
        java.time.Duration quiet = settings.sourceIdleness();
        java.time.Duration caughtUpWithin = settings.caughtUpWithin();
        return WatermarkStrategy.<Ingested<T>>forGenerator(context -> new LiveClockWatermarks<>(outOfOrderness, quiet,
                        caughtUpWithin, System::currentTimeMillis))
                .withTimestampAssigner((in, kafkaTime) -> in.event != null ? in.event.occurredAt() : Long.MIN_VALUE);
    }

    /** Event time from occurred_at, tolerating {@code out-of-orderness}, not stalled by an idle partition (replays, backtests). */
    public static <T extends TrackedEvent> WatermarkStrategy<Ingested<T>> watermarks(JobSettings settings) {
        return WatermarkStrategy
                .<Ingested<T>>forBoundedOutOfOrderness(settings.outOfOrderness())
                // A dead letter has no trustworthy time: it must not move the watermark.
                .withTimestampAssigner((in, kafkaTime) -> in.event != null ? in.event.occurredAt() : Long.MIN_VALUE)
                .withIdleness(settings.sourceIdleness());
    }

}
