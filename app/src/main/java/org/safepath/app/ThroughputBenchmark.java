package org.safepath.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.kafka.Topics;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.runtime.RetainedCheckpoints;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.KafkaEventPublisher;
import org.safepath.simulator.SimulatedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code safepath bench}: the streaming path measured on the embedded stack. For a population (and again at
 * {@code --times} the population): the simulator's event mix loaded into the topics; this machine's ceiling for the
 * same input (a plain Kafka consumer reading and Avro-decoding every record, no Flink); every job's sustained
 * throughput from Kafka into Elasticsearch (until every input offset is committed and the last document is written);
 * the Flink process's peak heap and its state's size; and, under a steady load, how long a probe event takes from
 * its append to Kafka to searchable. One table, and the same figures as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The streaming path on the embedded stack: throughput from Kafka into Elasticsearch against a plain consumer's",
                "ceiling, latency under a steady load, and memory, for a population and for --times that population."})
final class ThroughputBenchmark implements Callable<Integer> {

    @Option(names = "--councils", defaultValue = "1", description = "The population: this many counties' event rates. Default: ${DEFAULT-VALUE}.")
    double councils;
    @Option(names = "--times", defaultValue = "10", description = "Measure again at this many times the population (1: once). Default: ${DEFAULT-VALUE}.")
    double times;
    @Option(names = "--days", defaultValue = "30", description = "Simulated days of events loaded. Default: ${DEFAULT-VALUE}.")
    int days;
    @Option(names = "--rate", defaultValue = "5000", description = "Events a second of steady load while latency is probed. Default: ${DEFAULT-VALUE}.")
    int rate;
    @Option(names = "--probes", defaultValue = "100", description = "Latency probes, five a second. Default: ${DEFAULT-VALUE}.")
    int probes;
    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;
    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "The jobs' checkpoint interval (their default, as deployed). Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "safepath-bench", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDirOption;
    @Option(names = "--json", paramLabel = "FILE", description = "Where the figures go as JSON. Default: bench.json in --data-dir.")
    Path json;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    ElasticsearchOption elasticsearch;

    /** One population's figures. */
    record Run(double councils, int days, long events, double publishSeconds, double ceilingEventsPerSecond,
               double pipelineSeconds, double pipelineEventsPerSecond, double ratioToCeiling, long peakHeapMiB,
               long stateMiB, int loadRate, double achievedLoadRate, int probesSearchable, int probes, double latencyP50,
               double latencyP95, double latencyP99) {
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = dataDirOption.toAbsolutePath();
        List<Run> runs = new ArrayList<>();
        runs.add(measure(councils, dataDir));
        if (times > 1) {
            runs.add(measure(councils * times, dataDir));
        }
        System.out.println("(latency over the probes that became searchable within 30 s; probes: how many did)");
        System.out.printf("%n%-9s %10s %12s %14s %7s %10s %9s %10s %8s %8s %8s %8s%n", "councils", "events", "ceiling/s",
                "pipeline/s", "ratio", "heap MiB", "state MiB", "load/s", "probes", "p50 ms", "p95 ms", "p99 ms");
        for (Run r : runs) {
            System.out.printf("%-9s %,10d %,12.0f %,14.0f %7.3f %,10d %,9d %,10.0f %8s %8.0f %8.0f %8.0f%n", fmt(r.councils()), r.events(),
                    r.ceilingEventsPerSecond(), r.pipelineEventsPerSecond(), r.ratioToCeiling(), r.peakHeapMiB(), r.stateMiB(),
                    r.achievedLoadRate(), r.probesSearchable() + "/" + r.probes(), r.latencyP50(), r.latencyP95(), r.latencyP99());
        }
        if (runs.size() == 2) {
            System.out.printf("%s times the population: %.2f times the peak heap, %.2f times the state.%n", fmt(times),
                    (double) runs.get(1).peakHeapMiB() / runs.get(0).peakHeapMiB(),
                    (double) Math.max(1, runs.get(1).stateMiB()) / Math.max(1, runs.get(0).stateMiB()));
        }
        Path out = json != null ? json : dataDir.resolve("bench.json");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("measured_at", Instant.now().toString());
        report.put("processors", Runtime.getRuntime().availableProcessors());
        report.put("runs", runs.stream().map(ThroughputBenchmark::json).toList());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        System.out.println("Figures as JSON: " + out);
        return 0;
    }

    private Run measure(double population, Path dataDir) throws Exception {
        System.out.printf("%n== %s councils, %d days ==%n", fmt(population), days);
        Instant now = Instant.now();
        List<SimulatedEvent> events = new CouncilSimulator(42, CouncilSimulator.Rates.county().times(population))
                .generate(now.minus(Duration.ofDays(days)), now);
        try (Services services = Services.from(kafka, elasticsearch, dataDir, true)) {
            Commands.provision(services.kafka, services.registry, services.elasticsearch);
            SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.fromEnvironment(services.registry));
            // Each run its own topics, so a run on real services reads only its own events.
            String prefix = "bench" + System.currentTimeMillis() + ".";
            Topics.ensure(services.kafka, prefix, parallelism, (short) 1);
            long started = System.nanoTime();
            try (KafkaEventPublisher publisher = new KafkaEventPublisher(services.kafka, registry, prefix)) {
                publisher.publishAll(events);
            }
            double publishSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Loaded %,d events into the topics in %.1f s.%n", events.size(), publishSeconds);

            double ceiling = ceiling(services.kafka, registry, prefix, events.size());
            System.out.printf("Ceiling: a plain consumer read and decoded them at %,.0f events/s.%n", ceiling);

            String group = "safepath-bench-" + System.currentTimeMillis();
            JobSettings settings = JobSettings.fromMap(Map.of(
                    "kafka", services.kafka, "registry", services.registry, "elasticsearch", services.elasticsearch,
                    "pseudonym-key-file", Commands.demoPseudonymKey(dataDir).toString(), "topic-prefix", prefix,
                    "group-prefix", group, "parallelism", Integer.toString(parallelism),
                    "checkpoint-interval", checkpointInterval.toMillis() + "ms"));
            Path checkpoints = dataDir.resolve("checkpoints");
            new RetainedCheckpoints(checkpoints).clear();
            StreamExecutionEnvironment env = Commands.localEnvironment(parallelism, checkpoints);
            SafePathJobs.build(env, settings);
            HeapPeak heap = new HeapPeak();
            heap.start();
            long jobStarted = System.nanoTime();
            JobClient job = env.executeAsync("safepath-bench");
            try {
                double seconds = untilCaughtUp(services, prefix, group, jobStarted);
                double throughput = events.size() / seconds;
                System.out.printf("Pipeline: every offset committed and the last document written after %.1f s: %,.0f events/s (%.2f of the ceiling).%n",
                        seconds, throughput, throughput / ceiling);
                double[] latency = new double[probes];
                double achieved = underLoad(services, registry, prefix, events, latency);
                // Percentiles of the probes that became searchable; those that did not within 30 s are counted apart.
                double[] measured = Arrays.stream(latency).filter(Double::isFinite).sorted().toArray();
                latency = measured.length > 0 ? measured : new double[]{Double.POSITIVE_INFINITY};
                System.out.printf("Under %,.0f events/s: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms from a probe's append to searchable "
                        + "(%d of %d probes; the rest not searchable within 30 s).%n", achieved, pct(latency, 50), pct(latency, 95),
                        pct(latency, 99), measured.length, probes);
                heap.stop();
                long state = sizeMiB(checkpoints);
                System.out.printf("Peak heap in use %,d MiB; newest checkpoint %,d MiB.%n", heap.peakMiB(), state);
                return new Run(population, days, events.size(), publishSeconds, ceiling, seconds, throughput, throughput / ceiling,
                        heap.peakMiB(), state, rate, achieved, measured.length, probes, pct(latency, 50), pct(latency, 95), pct(latency, 99));
            } finally {
                heap.stop();
                Commands.cancelAndWait(job);
            }
        }
    }

    /** Events a second a plain consumer reads and Avro-decodes the run's topics at, with no Flink. */
    private static double ceiling(String kafka, SchemaRegistryClient registry, String prefix, long expected) {
        Properties props = org.safepath.connectors.kafka.KafkaSecurity.clientProperties(kafka);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        ConfluentWireFormat wire = new ConfluentWireFormat(registry);
        Map<String, EventStream> byTopic = new HashMap<>();
        for (EventStream s : EventStream.values()) {
            if (s.isInput()) {
                byTopic.put(s.topic(prefix), s);
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            byTopic.keySet().forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long decoded = 0;
            long started = System.nanoTime();
            while (decoded < expected) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (wire.decode(r.value(), byTopic.get(r.topic()).schema()).ok()) {
                        decoded++;
                    }
                }
                if ((System.nanoTime() - started) / 1e9 > 600) {
                    throw new IllegalStateException("The plain consumer decoded only " + decoded + " of " + expected + " events in 10 minutes");
                }
            }
            return decoded / ((System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Seconds from the job's start until every input offset is committed (checkpoints each second commit them) and the
     * number of documents in Elasticsearch has not changed for five seconds: the time of its last change.
     */
    private static double untilCaughtUp(Services services, String prefix, String group, long jobStarted) throws Exception {
        try (Admin admin = Admin.create(org.safepath.connectors.kafka.KafkaSecurity.clientProperties(services.kafka));
             var transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(services.elasticsearch))) {
            ElasticsearchClient es = ElasticsearchClients.blocking(transport);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (EventStream s : EventStream.values()) {
                if (s.isInput()) {
                    admin.describeTopics(List.of(s.topic(prefix))).allTopicNames().get().get(s.topic(prefix)).partitions()
                            .forEach(p -> latest.put(new TopicPartition(s.topic(prefix), p.partition()), OffsetSpec.latest()));
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long lastChange = System.nanoTime();
            long documents = -1;
            boolean committed = false;
            while (true) {
                Thread.sleep(250);
                if (!committed) {
                    Map<TopicPartition, Long> done = new HashMap<>();
                    for (EventStream s : EventStream.values()) {
                        if (s.isInput()) {
                            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group + "-" + s.streamName())
                                    .partitionsToOffsetAndMetadata().get();
                            offsets.forEach((tp, o) -> done.put(tp, o == null ? 0 : o.offset()));
                        }
                    }
                    committed = ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || done.getOrDefault(e.getKey(), 0L) >= e.getValue());
                }
                es.indices().refresh(r -> r.index("safepath-*"));
                long count = es.count(c -> c.index("safepath-*")).count();
                if (count != documents) {
                    documents = count;
                    lastChange = System.nanoTime();
                } else if (committed && (System.nanoTime() - lastChange) / 1e9 >= 5) {
                    return (lastChange - jobStarted) / 1e9;
                }
                if ((System.nanoTime() - jobStarted) / 1e9 > 3600) {
                    throw new IllegalStateException("The jobs had not caught up after an hour");
                }
            }
        }
    }

    /**
     * A steady load of the population's events at {@code rate} a second, each stamped now (with an event id of its
     * own), while probes measure an event's time from its append to searchable. Returns the load's achieved rate.
     */
    private double underLoad(Services services, SchemaRegistryClient registry, String prefix, List<SimulatedEvent> events,
                             double[] latency) throws Exception {
        List<SimulatedEvent> live = events.stream().filter(e -> e.stream() != EventStream.PROVIDER_REFERENCE).toList();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Thread load = new Thread(() -> {
            try (KafkaEventPublisher publisher = new KafkaEventPublisher(services.kafka, registry, prefix)) {
                long start = System.nanoTime();
                int i = 0;
                while (!stop.get()) {
                    long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                    // Stop also when behind the rate (the jobs and the load share two cores): "due" keeps growing.
                    while (sent.get() < due && !stop.get()) {
                        int round = i / live.size();
                        SimulatedEvent e = live.get(i++ % live.size());
                        long at = System.currentTimeMillis();
                        SpecificRecord copy = SpecificData.get().deepCopy(e.record().getSchema(), e.record());
                        GenericRecord fields = (GenericRecord) copy;
                        fields.put("event_id", e.eventId() + "-live-" + sent.get());
                        if (round > 0) {
                            newSubjects(fields, "-r" + round);
                        }
                        fields.put("occurred_at", Instant.ofEpochMilli(at));
                        fields.put("recorded_at", Instant.ofEpochMilli(at));
                        publisher.send(new SimulatedEvent(e.stream(), e.key(), copy, at, e.eventId()), fields);
                        sent.incrementAndGet();
                    }
                    Thread.sleep(5);
                }
                publisher.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-load");
        try (KafkaEventPublisher probesOut = new KafkaEventPublisher(services.kafka, registry, prefix);
             ElasticQueries es = new ElasticQueries(services.elasticsearch)) {
            long start = System.nanoTime();
            load.start();
            Thread.sleep(5_000); // the load reaches its rate before the first probe
            int missed = 0;
            for (int i = 0; i < probes; i++) {
                try {
                    latency[i] = LatencyBenchmark.probe(probesOut, es, "L" + System.nanoTime() % 1_000_000 + "-" + i, i + 1, 30_000);
                    missed = 0;
                } catch (IllegalStateException notSearchable) {
                    // Behind the load: the jobs are not keeping up; the rest would only wait longer.
                    latency[i] = Double.POSITIVE_INFINITY;
                    if (++missed == 3) {
                        System.out.printf("Probes %d to %d were not searchable within 30 s: the jobs do not keep up with %,d events/s.%n",
                                i - 1, i + 1, rate);
                        Arrays.fill(latency, i, probes, Double.POSITIVE_INFINITY);
                        break;
                    }
                }
                Thread.sleep(200);
            }
            stop.set(true);
            load.join();
            return sent.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Each round through the population's events is about new people, cases, requests and waits, as a bigger
     * population's would be: their identifiers carry the round. (The same people's events again and again would pile
     * up on a few people and keys, a load no council sends.) A person is then known by a council person id.
     */
    static void newSubjects(GenericRecord event, String round) {
        for (String id : List.of("concern_id", "request_id", "wait_id")) {
            if (event.getSchema().getField(id) != null && event.get(id) != null) {
                event.put(id, event.get(id) + round);
            }
        }
        if (event.getSchema().getField("person") != null && event.get("person") instanceof GenericRecord person) {
            Object id = person.get("nhs_number") != null ? person.get("nhs_number") : person.get("council_person_id");
            person.put("nhs_number", null);
            person.put("council_person_id", id + round);
        }
    }

    /** The peak of the heap in use, sampled every 100 ms. */
    private static final class HeapPeak {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private Thread sampler;

        void start() {
            sampler = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() {
            running.set(false);
        }

        long peakMiB() {
            return peak.get() >> 20;
        }
    }

    /** A run as JSON: a latency not measured (a probe never searchable) is null. */
    private static Map<String, Object> json(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var c : Run.class.getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                m.put(c.getName(), v instanceof Double d && d.isInfinite() ? null : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    private static long sizeMiB(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        RetainedCheckpoints retained = new RetainedCheckpoints(dir);
        Path newest = retained.latest().orElse(dir);
        try (Stream<Path> files = Files.walk(newest)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() >> 20;
        }
    }

    private static String fmt(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
