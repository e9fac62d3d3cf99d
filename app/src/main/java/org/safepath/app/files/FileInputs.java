package org.safepath.app.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.app.files.EventFiles.FileEvent;
import org.safepath.app.files.EventFiles.Rejected;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.Ingested;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.ProviderReferenceReader;
import org.safepath.jobs.primitives.Sources;
import org.safepath.jobs.primitives.SplitIngested;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.schemas.EventStream;

/**
 * A backtest's inputs: the events of files, read by the same readers the Kafka sources run (validation and
 * pseudonymisation, one code path), in a bounded run. What a reader rejects is listed by file and line.
 */
public final class FileInputs implements DomainInputs {

    private final StreamExecutionEnvironment env;
    private final JobSettings settings;
    private final Map<EventStream, StreamInput<?>> readers;
    private final Map<EventStream, List<FileEvent>> byStream = new HashMap<>();
    private final Map<EventStream, DataStream<?>> opened = new HashMap<>();
    private final List<DataStream<DeadLetterRecord>> deadLetters = new ArrayList<>();
    /** Lines a reader rejected, by file and line. */
    public final List<Rejected> rejected = new ArrayList<>();
    /** Events no domain reads. */
    public long notForAnyJob;

    public FileInputs(StreamExecutionEnvironment env, JobSettings settings, List<Domain> domains, List<FileEvent> events) {
        this.env = env;
        this.settings = settings;
        this.readers = org.safepath.jobs.pipeline.Domains.readers(domains, settings);
        for (FileEvent e : events) {
            if (readers.containsKey(e.stream()) || e.stream() == EventStream.PROVIDER_REFERENCE) {
                byStream.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(e);
            } else {
                notForAnyJob++;
            }
        }
    }

    /** Whether any domain reads this stream. */
    public boolean reads(EventStream stream) {
        return readers.containsKey(stream) || stream == EventStream.PROVIDER_REFERENCE;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends TrackedEvent> DataStream<T> events(EventStream stream, Class<T> type) {
        return (DataStream<T>) opened.computeIfAbsent(stream, s -> open((StreamInput<T>) readers.get(s)));
    }

    private <T extends TrackedEvent> DataStream<T> open(StreamInput<T> in) {
        List<Ingested<T>> read = new ArrayList<>();
        try {
            in.reader().open();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the " + in.stream().streamName() + " reader: " + e.getMessage(), e);
        }
        for (FileEvent e : byStream.getOrDefault(in.stream(), List.of())) {
            try {
                T event = in.reader().read(e.record());
                event.setSource(e.file(), 0, e.line());
                read.add(Ingested.of(event));
            } catch (RejectedEventException ex) {
                rejected.add(new Rejected(e.file(), e.line(), ex.reason().name(), ex.getMessage(), ""));
            }
        }
        SingleOutputStreamOperator<T> readable = data(read, in.ingestedType())
                .assignTimestampsAndWatermarks(Sources.<T>watermarks(settings))
                .process(new SplitIngested<>(), in.typeInfo());
        deadLetters.add(readable.getSideOutput(DeadLetters.TAG));
        return readable;
    }

    @Override
    public DataStream<ProviderReference> providerReference() {
        ProviderReferenceReader reader = new ProviderReferenceReader();
        List<ProviderReference> records = new ArrayList<>();
        for (FileEvent e : byStream.getOrDefault(EventStream.PROVIDER_REFERENCE, List.of())) {
            try {
                records.add(reader.read(e.record()));
            } catch (RejectedEventException ex) {
                rejected.add(new Rejected(e.file(), e.line(), ex.reason().name(), ex.getMessage(), ""));
            }
        }
        return data(records, TypeInformation.of(ProviderReference.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks());
    }

    /** A bounded stream of these records; Flink's collection source cannot be empty, so no records is a stream that emits none. */
    private <R> DataStream<R> data(List<R> records, TypeInformation<R> type) {
        if (!records.isEmpty()) {
            return env.fromData(records, type);
        }
        return env.fromData(List.of(0L), org.apache.flink.api.common.typeinfo.Types.LONG)
                .flatMap((Long none, org.apache.flink.util.Collector<R> out) -> { }, type);
    }

    public List<DataStream<DeadLetterRecord>> deadLetters() {
        return deadLetters;
    }
}
