package org.safepath.jobs.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.Ingested;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.Sources;
import org.safepath.jobs.primitives.SplitIngested;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.schemas.EventStream;

/** The live job's inputs: one Kafka source per topic, however many domains read it. */
public final class KafkaInputs implements DomainInputs {

    private final StreamExecutionEnvironment env;
    private final JobSettings settings;
    private final Map<EventStream, StreamInput<?>> readers;
    private final Map<EventStream, DataStream<?>> opened = new HashMap<>();
    private final List<DataStream<DeadLetterRecord>> deadLetters = new ArrayList<>();
    private DataStream<ProviderReference> reference;

    public KafkaInputs(StreamExecutionEnvironment env, JobSettings settings, List<Domain> domains) {
        this.env = env;
        this.settings = settings;
        this.readers = Domains.readers(domains, settings);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends TrackedEvent> DataStream<T> events(EventStream stream, Class<T> type) {
        return (DataStream<T>) opened.computeIfAbsent(stream, s -> open((StreamInput<T>) readerFor(s, type)));
    }

    private StreamInput<?> readerFor(EventStream stream, Class<?> type) {
        StreamInput<?> in = readers.get(stream);
        if (in == null || !in.eventType().equals(type)) {
            throw new IllegalStateException("No domain reads " + stream.streamName() + " as " + type.getSimpleName());
        }
        return in;
    }

    private <T extends TrackedEvent> DataStream<T> open(StreamInput<T> in) {
        DataStream<Ingested<T>> ingested = Sources.kafka(env, settings, in.stream(), in.reader(), in.ingestedType());
        SingleOutputStreamOperator<T> readable = ingested.process(new SplitIngested<>(), in.typeInfo())
                .name("dead-letter what cannot be read: " + in.stream().streamName()).uid(in.stream().streamName() + "-split");
        deadLetters.add(readable.getSideOutput(DeadLetters.TAG));
        return readable;
    }

    @Override
    public DataStream<ProviderReference> providerReference() {
        if (reference == null) {
            SingleOutputStreamOperator<ProviderReference> read = Sources.providerReference(env, settings);
            deadLetters.add(read.getSideOutput(DeadLetters.TAG));
            reference = read;
        }
        return reference;
    }

    /** What the sources could not read, for the dead-letter outputs. */
    public List<DataStream<DeadLetterRecord>> deadLetters() {
        return deadLetters;
    }
}
