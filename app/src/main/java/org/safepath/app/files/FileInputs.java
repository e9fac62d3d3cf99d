package org.safepath.app.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.safepath.app.files.EventFiles.Rejected;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.RejectedEventException;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.DomainInputs;
import org.safepath.jobs.pipeline.Domains;
import org.safepath.jobs.pipeline.SafePathPipeline;
import org.safepath.jobs.pipeline.StreamInput;
import org.safepath.jobs.primitives.ProviderReferenceReader;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.schemas.EventStream;

/**
 * A backtest's inputs: each event file read by its own Flink {@code FileSource}, in parallel and in the file's
 * order, a line at a time (nothing is loaded into memory first), by the same readers the Kafka sources run
 * (validation and pseudonymisation, one code path). Each file has its own watermark, from its events' times, so
 * the jobs see the files' events merged in event-time order as the live job sees its topics' partitions, and the
 * files are kept within an hour of each other in event time (watermark alignment), so what waits is bounded. A line
 * that cannot be read is reported by file and line; the counts are the job's accumulators ({@link Counts}).
 */
public final class FileInputs implements DomainInputs {

    /** The job's accumulators, by name. */
    public static final class Counts {
        public static final String READ = "backtest-lines-read";
        public static final String AFTER_AS_OF = "backtest-after-as-of";
        public static final String NOT_FOR_ANY_JOB = "backtest-not-for-any-job";
        public static final String REFERENCE = "backtest-reference-records";

        private Counts() {
        }
    }

    private static final Duration ALIGNMENT = Duration.ofHours(1);
    private static final OutputTag<ProviderReference> REFERENCE = new OutputTag<>("provider-reference",
            TypeInformation.of(ProviderReference.class));

    private final Map<EventStream, StreamInput<?>> readers;
    private final Map<EventStream, List<DataStream<?>>> byStream = new EnumMap<>(EventStream.class);
    private final List<DataStream<ProviderReference>> references = new ArrayList<>();
    /** Lines that could not be read, from every file. */
    private final DataStream<Rejected> rejected;

    public FileInputs(StreamExecutionEnvironment env, JobSettings settings, List<Domain> domains, List<Path> files, long asOf) {
        this.readers = Domains.readers(domains, settings);
        Map<EventStream, OutputTag<TrackedEvent>> tags = new EnumMap<>(EventStream.class);
        readers.forEach((stream, in) -> tags.put(stream, tag(in)));
        List<DataStream<Rejected>> unreadable = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            FileSource<FileRecord> source = FileSource.forRecordStreamFormat(new EventFileFormat(file.toString()),
                    new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri())).build();
            SingleOutputStreamOperator<Rejected> read = env
                    .fromSource(source, watermarks(settings, asOf), "File " + name)
                    .process(new ReadLines(readers, tags, asOf), TypeInformation.of(Rejected.class))
                    .name("Read " + name);
            unreadable.add(read);
            tags.forEach((stream, tag) -> byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(read.getSideOutput(tag)));
            references.add(read.getSideOutput(REFERENCE));
        }
        this.rejected = SafePathPipeline.union(unreadable);
    }

    /**
     * Each file's events in its own order: its watermark follows its events' times with the job's out-of-orderness,
     * so an event further out of order than that is late, and handled as the live job handles it. A line that could
     * not be read, reference data and events after the as-of time do not move it.
     */
    private static WatermarkStrategy<FileRecord> watermarks(JobSettings settings, long asOf) {
        return WatermarkStrategy.<FileRecord>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner((r, none) -> !r.readable() || r.stream == EventStream.PROVIDER_REFERENCE || r.occurredAt > asOf
                        ? Long.MIN_VALUE : r.occurredAt)
                // Files whose events are sparser run ahead in event time; the jobs would hold their events until the
                // slowest file caught up. Aligned, a file more than an hour ahead of the others waits for them.
                .withWatermarkAlignment("backtest-files", ALIGNMENT, Duration.ofMillis(100));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static OutputTag<TrackedEvent> tag(StreamInput<?> in) {
        return new OutputTag<>("events-" + in.stream().streamName(), (TypeInformation) in.typeInfo());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends TrackedEvent> DataStream<T> events(EventStream stream, Class<T> type) {
        List<DataStream<T>> files = new ArrayList<>();
        byStream.getOrDefault(stream, List.of()).forEach(s -> files.add((DataStream<T>) s));
        return SafePathPipeline.union(files);
    }

    @Override
    public DataStream<ProviderReference> providerReference() {
        return SafePathPipeline.union(references);
    }

    /** Lines no reader could read, with their file and line. */
    public DataStream<Rejected> rejected() {
        return rejected;
    }

    /** The inputs dead-letter nothing themselves: what cannot be read is {@link #rejected()}, by file and line. */
    public List<DataStream<DeadLetterRecord>> deadLetters() {
        return List.of();
    }

    /**
     * One file's lines to the streams' readers: each event to its stream's side output, reference data to its own,
     * and what cannot be read, with its file and line, to the main output. Counts every line.
     */
    private static final class ReadLines extends ProcessFunction<FileRecord, Rejected> {
        private final Map<EventStream, StreamInput<?>> readers;
        private final Map<EventStream, OutputTag<TrackedEvent>> tags;
        private final long asOf;
        private final ProviderReferenceReader referenceReader = new ProviderReferenceReader();
        private transient FileRecord.Decoder records;
        private transient LongCounter read;
        private transient LongCounter afterAsOf;
        private transient LongCounter notForAnyJob;
        private transient LongCounter reference;

        ReadLines(Map<EventStream, StreamInput<?>> readers, Map<EventStream, OutputTag<TrackedEvent>> tags, long asOf) {
            this.readers = readers;
            this.tags = tags;
            this.asOf = asOf;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            for (StreamInput<?> in : readers.values()) {
                in.reader().open();
            }
            records = new FileRecord.Decoder();
            read = counter(Counts.READ);
            afterAsOf = counter(Counts.AFTER_AS_OF);
            notForAnyJob = counter(Counts.NOT_FOR_ANY_JOB);
            reference = counter(Counts.REFERENCE);
        }

        private LongCounter counter(String name) {
            LongCounter c = new LongCounter();
            getRuntimeContext().addAccumulator(name, c);
            return c;
        }

        @Override
        public void processElement(FileRecord r, Context ctx, Collector<Rejected> out) throws Exception {
            read.add(1);
            if (!r.readable()) {
                out.collect(r.rejected());
                return;
            }
            try {
                if (r.stream == EventStream.PROVIDER_REFERENCE) {
                    ctx.output(REFERENCE, referenceReader.read(records.decode(r)));
                    reference.add(1);
                } else if (r.occurredAt > asOf) {
                    afterAsOf.add(1);
                } else if (!readers.containsKey(r.stream)) {
                    notForAnyJob.add(1);
                } else {
                    TrackedEvent event = readers.get(r.stream).reader().read(records.decode(r));
                    event.setSource(r.file, 0, r.line);
                    ctx.output(tags.get(r.stream), event);
                }
            } catch (RejectedEventException ex) {
                out.collect(new Rejected(r.file, r.line, ex.reason().name(), ex.getMessage(), ""));
            }
        }
    }
}
