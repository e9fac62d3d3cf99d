package org.safepath.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.kafka.Topics;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.connectors.registry.SchemaSubjects;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobCommandLine;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.runtime.RetainedCheckpoints;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.KafkaEventPublisher;
import org.safepath.simulator.SimulatedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The smaller commands (init, run, simulate, replay, retention) and what the others share; each says what it did or exactly what failed. */
final class Commands {

    private Commands() {
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the topics, register the schemas (BACKWARD) and install the index templates; idempotent.")
    static final class Init implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;
        @Mixin
        ElasticsearchOption es;

        @Override
        public Integer call() throws IOException {
            provision(kafka.kafka(), kafka.registry(), es.elasticsearch());
            return 0;
        }
    }

    /** Topics, schema subjects with BACKWARD compatibility, index templates: all idempotent. */
    static void provision(String kafka, String registry, String es) throws IOException {
        List<String> created = Topics.ensure(kafka, 2, (short) 1);
        System.out.println("Kafka topics: " + (created.isEmpty() ? "all present" : "created " + created));
        Map<String, Integer> ids = SchemaSubjects.registerAll(new SchemaRegistryClient(RegistrySettings.fromEnvironment(registry)));
        System.out.println("Schemas registered (BACKWARD): " + ids.size() + " subjects");
        try (var transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(es))) {
            SafePathIndices.install(transport, IndicatorCatalogue.defaults());
        } catch (IOException e) {
            throw new IOException("Elasticsearch at " + es + " did not take the index templates (" + e.getMessage()
                    + "). Is it running? Set --elasticsearch or SAFEPATH_ES_URL.", e);
        }
        System.out.println("Index templates installed: " + SafePathIndices.templates(IndicatorCatalogue.defaults()).keySet());
    }

    /** Every job option (JobOptions) is an option of run, added by {@link JobCommandLine}; indicator parameters by --set or --config. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run every job in this process (a local Flink MiniCluster) against real services, resuming from the newest checkpoint.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:SAFEPATH_DATA_DIR:-safepath-data}",
                description = "Where the checkpoints are kept. Default: ${DEFAULT-VALUE}.")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            JobSettings settings;
            try {
                settings = JobSettings.fromMap(JobCommandLine.given(spec));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            SafePathJobs.prepare(settings);
            StreamExecutionEnvironment env = localEnvironment(settings.parallelism(), dataDir.toAbsolutePath().resolve("checkpoints"));
            SafePathJobs.build(env, settings);
            env.execute("safepath");
            return 0;
        }
    }

    /**
     * Cancels the job and waits until its tasks have stopped. Cancelling is acknowledged before they have: without the
     * wait, a sink still writing while the services are shut down reports them as down.
     */
    static void cancelAndWait(org.apache.flink.core.execution.JobClient job) throws Exception {
        job.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
        try {
            job.getJobExecutionResult().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException cancelled) {
            // The job ended because it was cancelled: what was asked for.
        }
    }

    /**
     * A local MiniCluster whose job keeps its checkpoints in {@code checkpoints} and resumes from the newest one
     * an earlier run left (see {@link RetainedCheckpoints}).
     */
    static StreamExecutionEnvironment localEnvironment(int parallelism, Path checkpoints) {
        Configuration conf = localConfiguration();
        new RetainedCheckpoints(checkpoints).configure(conf).ifPresentOrElse(
                chk -> System.out.println("Resuming from the checkpoint " + chk + " (open episodes, windows and Kafka offsets as they were)."),
                () -> System.out.println("No checkpoint in " + checkpoints + ": starting with empty state."));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    static StreamExecutionEnvironment localEnvironment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(localConfiguration());
        env.setParallelism(parallelism);
        return env;
    }

    static Configuration localConfiguration() {
        Configuration conf = SafePathJobs.flinkConfiguration();
        conf.setString("rest.port", "0");
        conf.setString("taskmanager.memory.managed.size", "64m");
        // A local MiniCluster from the command line; the surrounding cluster where there is one (tests, flink run).
        return conf;
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Publish a simulated council's events to Kafka, or write them as event files (--to-files).",
                    "The same seed gives the same council."})
    static final class Simulate implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;
        @Option(names = "--days", defaultValue = "30", description = "Simulated days up to --until. Default: ${DEFAULT-VALUE}.")
        int days;
        @Option(names = "--speed", defaultValue = "0", description = "Times real time; 0 publishes as fast as possible. Default: ${DEFAULT-VALUE}.")
        double speed;
        @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
        long seed;
        @Option(names = "--to-files", paramLabel = "DIR", description = "Write event files (docs/events.md) instead of publishing.")
        Path toFiles;
        @Option(names = "--until", paramLabel = "INSTANT", description = "The end of the simulated time, ISO-8601. Default: now.")
        Instant until;
        @Option(names = "--scale", defaultValue = "1", description = "Rates as this many counties'. Default: ${DEFAULT-VALUE}.")
        double scale;

        @Override
        public Integer call() throws Exception {
            Instant to = until != null ? until : Instant.now();
            List<SimulatedEvent> events;
            try {
                events = new CouncilSimulator(seed, CouncilSimulator.Rates.county().times(scale))
                        .generate(to.minus(Duration.ofDays(days)), to);
                if (toFiles != null) {
                    Map<String, Integer> written = EventFileWriter.write(toFiles, events);
                    System.out.printf("Wrote %d events of %d simulated days to %s: %s%n", events.size(), days, toFiles, written);
                    return 0;
                }
            } catch (OutOfMemoryError e) {
                throw new IllegalStateException(String.format("%d simulated days at --scale %s do not fit in this Java heap"
                        + " (%d MiB): the simulator holds a run's events in memory to put them in time order. Give it more"
                        + " (SAFEPATH_JAVA_OPTS=-Xmx14g simulates a year at --scale 150) or simulate fewer days at a time"
                        + " (--until and --days).", days,
                        java.math.BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString(), Runtime.getRuntime().maxMemory() >> 20));
            }
            long started = System.nanoTime();
            try (KafkaEventPublisher publisher = new KafkaEventPublisher(kafka.kafka(),
                    new SchemaRegistryClient(RegistrySettings.fromEnvironment(kafka.registry())))) {
                if (speed <= 0) {
                    publisher.publishAll(events);
                } else {
                    publisher.publishPaced(events, speed, System::currentTimeMillis, () -> false);
                }
            }
            Map<String, Integer> byStream = new LinkedHashMap<>();
            events.forEach(e -> byStream.merge(e.stream().topic(), 1, Integer::sum));
            System.out.printf("Published %d events of %d simulated days in %.1f s: %s%n", events.size(), days,
                    (System.nanoTime() - started) / 1e9, byStream);
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Publish event files to the Kafka topics in event-time order (loading a council's history).")
    static final class Replay implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;
        @Option(names = "--events", paramLabel = "PATH", arity = "1..*", required = true,
                description = "Event files or folders (JSON Lines, CSV or Avro; docs/events.md).")
        List<Path> paths;

        @Override
        public Integer call() throws Exception {
            String kafka = this.kafka.kafka();
            String registry = this.kafka.registry();
            org.safepath.app.files.EventFiles files = org.safepath.app.files.EventFiles.read(paths);
            files.rejected.forEach(r -> System.err.println(r.message()));
            long started = System.nanoTime();
            Map<String, Integer> byTopic = new LinkedHashMap<>();
            try (KafkaEventPublisher publisher = new KafkaEventPublisher(kafka, new SchemaRegistryClient(RegistrySettings.fromEnvironment(registry)))) {
                int total = files.events.size();
                int sent = 0;
                for (var e : files.events) {
                    // Reference data is keyed by location (a compacted topic); events by their id.
                    String key = (e.stream() == org.safepath.schemas.EventStream.PROVIDER_REFERENCE ? e.record().get("location_id")
                            : e.record().get("event_id")).toString();
                    publisher.send(new SimulatedEvent(e.stream(), key, null, e.occurredAt(), key), e.record());
                    byTopic.merge(e.stream().topic(), 1, Integer::sum);
                    if (++sent % 1000 == 0 || sent == total) {
                        int width = 40;
                        int done = (int) ((long) sent * width / Math.max(1, total));
                        System.out.printf("\r[%s%s] %d/%d events", "#".repeat(done), " ".repeat(width - done), sent, total);
                    }
                }
                publisher.flush();
            }
            System.out.printf("%nReplayed %d events in event-time order in %.1f s: %s; %d lines rejected.%n",
                    files.events.size(), (System.nanoTime() - started) / 1e9, byTopic, files.rejected.size());
            return files.rejected.isEmpty() ? 0 : BacktestCommand.EXIT_REJECTS;
        }
    }

    @Command(name = "retention", mixinStandardHelpOptions = true, description = "Drop monthly history indices older than --keep.")
    static final class Retention implements Callable<Integer> {
        @Mixin
        ElasticsearchOption es;
        @Option(names = "--keep", paramLabel = "DURATION", defaultValue = "400d", description = "History kept. Default: ${DEFAULT-VALUE}.")
        Duration keep;

        @Override
        public Integer call() throws IOException {
            try (var transport = es.transport()) {
                List<String> dropped = SafePathIndices.dropHistoryBefore(transport, Instant.now().minus(keep));
                System.out.println(dropped.isEmpty() ? "No history older than " + keep.toDays() + " days" : "Dropped " + dropped);
            }
            return 0;
        }
    }

    /** The pseudonymisation key for a demo: made once, random, readable by its owner only, never committed. */
    static Path demoPseudonymKey(Path dataDir) throws IOException {
        Path key = dataDir.resolve("pseudonym.key");
        if (!Files.exists(key)) {
            Files.createDirectories(dataDir);
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.writeString(key, HexFormat.of().formatHex(secret));
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        return key;
    }
}
