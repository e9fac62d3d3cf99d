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
import java.util.Set;

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
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.runtime.RetainedCheckpoints;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.KafkaEventPublisher;
import org.safepath.simulator.SimulatedEvent;

/** The commands other than demo; each says what it did or exactly what failed. */
final class Commands {

    static final Set<String> SERVICE_OPTIONS = Set.of("kafka", "registry", "elasticsearch");

    private Commands() {
    }

    static int init(List<String> args) throws IOException {
        Options o = new Options(args, SERVICE_OPTIONS, Set.of());
        String kafka = require(o, "kafka", "SAFEPATH_KAFKA");
        String registry = require(o, "registry", "SAFEPATH_REGISTRY_URL");
        String es = require(o, "elasticsearch", "SAFEPATH_ES_URL");
        provision(kafka, registry, es);
        return 0;
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

    static int run(List<String> args) throws Exception {
        // Every job option (JobOptions) is a --name of run; indicator overrides go in --config.
        Set<String> names = new java.util.TreeSet<>(org.safepath.jobs.config.JobOptions.keys());
        names.remove("backtest");
        names.add("data-dir");
        Options o = new Options(args, names, Set.of());
        List<String> jobArgs = new ArrayList<>();
        for (String name : names) {
            String v = name.equals("data-dir") ? null : o.get(name, null, null);
            if (v != null) {
                jobArgs.add("--" + name);
                jobArgs.add(v);
            }
        }
        JobSettings settings = JobSettings.fromArgs(jobArgs.toArray(String[]::new));
        Path dataDir = Path.of(o.get("data-dir", "SAFEPATH_DATA_DIR", "safepath-data")).toAbsolutePath();
        SafePathJobs.prepare(settings);
        StreamExecutionEnvironment env = localEnvironment(settings.parallelism(), dataDir.resolve("checkpoints"));
        SafePathJobs.build(env, settings);
        env.execute("safepath");
        return 0;
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

    private static Configuration localConfiguration() {
        Configuration conf = SafePathJobs.flinkConfiguration();
        conf.setString("rest.port", "0");
        conf.setString("taskmanager.memory.managed.size", "64m");
        // A local MiniCluster from the command line; the surrounding cluster where there is one (tests, flink run).
        return conf;
    }

    static int simulate(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("kafka", "registry", "days", "speed", "seed", "to-files", "until", "scale"), Set.of());
        int days = Integer.parseInt(o.get("days", null, "30"));
        double speed = Double.parseDouble(o.get("speed", null, "0"));
        Instant to = o.get("until", null, null) != null ? Instant.parse(o.get("until", null, null)) : Instant.now();
        double scale = Double.parseDouble(o.get("scale", null, "1"));
        List<SimulatedEvent> events = new CouncilSimulator(Long.parseLong(o.get("seed", null, "42")),
                CouncilSimulator.Rates.county().times(scale)).generate(to.minus(Duration.ofDays(days)), to);
        if (o.get("to-files", null, null) != null) {
            Path dir = Path.of(o.get("to-files", null, null));
            Map<String, Integer> written = EventFileWriter.write(dir, events);
            System.out.printf("Wrote %d events of %d simulated days to %s: %s%n", events.size(), days, dir, written);
            return 0;
        }
        String kafka = require(o, "kafka", "SAFEPATH_KAFKA");
        String registry = require(o, "registry", "SAFEPATH_REGISTRY_URL");
        long started = System.nanoTime();
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(kafka, new SchemaRegistryClient(RegistrySettings.fromEnvironment(registry)))) {
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

    static int replay(List<String> args) throws Exception {
        List<Path> paths = new ArrayList<>();
        List<String> rest = Options.takeMany(args, "events", paths);
        Options o = new Options(rest, Set.of("kafka", "registry"), Set.of());
        String kafka = require(o, "kafka", "SAFEPATH_KAFKA");
        String registry = require(o, "registry", "SAFEPATH_REGISTRY_URL");
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

    static int retention(List<String> args) throws IOException {
        Options o = new Options(args, Set.of("elasticsearch", "keep"), Set.of());
        String es = require(o, "elasticsearch", "SAFEPATH_ES_URL");
        Duration keep = o.duration("keep", Duration.ofDays(400));
        try (var transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(es))) {
            List<String> dropped = SafePathIndices.dropHistoryBefore(transport, Instant.now().minus(keep));
            System.out.println(dropped.isEmpty() ? "No history older than " + keep.toDays() + " days" : "Dropped " + dropped);
        }
        return 0;
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

    private static String require(Options o, String name, String env) {
        String v = o.get(name, env, null);
        if (v == null) {
            throw new Options.UsageException("--" + name + " (or " + env + ") is required");
        }
        return v;
    }
}
