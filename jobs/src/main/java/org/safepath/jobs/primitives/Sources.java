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
import org.safepath.connectors.kafka.KafkaSecurity;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.jobs.config.JobSettings;
import org.safepath.schemas.EventStream;

/**
 * A stream's Kafka source as every job opens it: Confluent-wire Avro read and pseudonymised in the source,
 * offsets committed on checkpoints (starting from the earliest on a new group), event-time watermarks that
 * tolerate {@code out-of-orderness}, do not stall on an idle partition, and survive a restart ({@link EventTimeKeeper}).
 */
public final class Sources {
    private Sources() {
    }

    public static <T extends TrackedEvent> DataStream<Ingested<T>> kafka(StreamExecutionEnvironment env, JobSettings settings,
                                                                       EventStream stream, EventReader<T> reader,
                                                                       TypeInformation<Ingested<T>> type) {
        return env.fromSource(source(settings, stream, reader, type), liveWatermarks(settings), stream.streamName() + " events")
                .uid(stream.streamName() + "-source")
                .transform("keep event time across restarts: " + stream.streamName(), type,
                        new EventTimeKeeper<Ingested<T>>(settings.outOfOrderness(), settings.sourceIdleness(), settings.caughtUpWithin()))
                .uid(stream.streamName() + "-event-time");
    }

    private static <T> KafkaSource<Ingested<T>> source(JobSettings settings, EventStream stream, EventReader<T> reader,
                                                       TypeInformation<Ingested<T>> type) {
        return KafkaSource.<Ingested<T>>builder()
                .setBootstrapServers(settings.kafkaBootstrapServers())
                .setTopics(stream.topic(settings.topicPrefix()))
                .setGroupId(settings.consumerGroupPrefix() + "-" + stream.streamName())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ConfluentAvroDeserializationSchema<>(RegistrySettings.fromEnvironment(settings.registryUrl()), reader, type))
                .setProperties(KafkaSecurity.fromEnvironment().asProperties())
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    /**
     * The provider reference data: the whole compacted topic from the start, then every change as it comes.
     * Its watermark follows the clock (less the out-of-orderness): it never holds back the event streams it is joined
     * to, which are behind the clock, and it never carries them past it. (At the end of time, as it once was, it ran
     * the providers' hourly evaluations into the future whenever the other provider feeds were quiet, writing values
     * "as of" days ahead.) A record that cannot be read goes to the dead-letter side output.
     */
    public static org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<org.safepath.events.ProviderReference> providerReference(StreamExecutionEnvironment env, JobSettings settings) {
        TypeInformation<Ingested<org.safepath.events.ProviderReference>> type = ProviderReferenceReader.ingestedType();
        KafkaSource<Ingested<org.safepath.events.ProviderReference>> source = KafkaSource.<Ingested<org.safepath.events.ProviderReference>>builder()
                .setBootstrapServers(settings.kafkaBootstrapServers())
                .setTopics(EventStream.PROVIDER_REFERENCE.topic(settings.topicPrefix()))
                // Every start reads the whole compacted topic: broadcast state is rebuilt from it, never stale.
                .setGroupId(settings.consumerGroupPrefix() + "-" + EventStream.PROVIDER_REFERENCE.streamName())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new ConfluentAvroDeserializationSchema<>(RegistrySettings.fromEnvironment(settings.registryUrl()),
                        new ProviderReferenceReader(), type))
                .setProperties(KafkaSecurity.fromEnvironment().asProperties())
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
        return env.fromSource(source, WatermarkStrategy.<Ingested<org.safepath.events.ProviderReference>>forGenerator(
                                context -> new ClockWatermarks<>(settings.outOfOrderness().toMillis(), System::currentTimeMillis)),
                        "provider reference data")
                .uid("provider-reference-source")
                .process(new SplitIngested<>(), TypeInformation.of(org.safepath.events.ProviderReference.class))
                .name("dead-letter what cannot be read: provider-reference").uid("provider-reference-split");
    }

    /** For a stream with no event time of its own: a watermark that follows the clock, less the out-of-orderness. */
    static final class ClockWatermarks<T> implements org.apache.flink.api.common.eventtime.WatermarkGenerator<T> {
        private final long outOfOrderness;
        private final java.util.function.LongSupplier clock;

        ClockWatermarks(long outOfOrderness, java.util.function.LongSupplier clock) {
            this.outOfOrderness = outOfOrderness;
            this.clock = clock;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, org.apache.flink.api.common.eventtime.WatermarkOutput output) {
        }

        @Override
        public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput output) {
            output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(clock.getAsLong() - outOfOrderness - 1));
        }
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
