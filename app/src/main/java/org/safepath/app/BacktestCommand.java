package org.safepath.app;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.safepath.app.files.EventFiles;
import org.safepath.app.files.EventFiles.FileEvent;
import org.safepath.app.files.EventFiles.Rejected;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.config.JobSettings;
import org.safepath.app.files.EventJson;
import org.safepath.app.files.FileInputs;
import org.safepath.app.files.HistoryFile;
import org.safepath.connectors.elasticsearch.AlertDocuments;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.Domains;
import org.safepath.jobs.pipeline.SafePathPipeline;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.records.Alert;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code safepath backtest}: the same jobs, same code and configuration, over files of past events in a
 * bounded run, writing every indicator as of T (and optionally the hourly history) as JSON Lines. Needs no
 * Kafka or Elasticsearch. The output depends only on the events and the configuration.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The same jobs over files of past events in a bounded run: every indicator as of --as-of as JSON Lines.",
                "Needs no Kafka or Elasticsearch; the output depends only on the events and the configuration.",
                "Exit code 3 when some input was rejected (the lines are written beside --out)."})
final class BacktestCommand implements Callable<Integer> {

    static final int EXIT_REJECTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run did, for the summary and for tests. */
    record Result(long read, long applied, Map<String, Long> rejectedByReason, long notForAnyJob, long afterAsOf,
                  int indicatorDocuments, long historyDocuments, int alerts) {
        long rejected() {
            return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Option(names = "--events", paramLabel = "PATH", arity = "1..*", required = true,
            description = "Event files or folders (JSON Lines, CSV or Avro; docs/events.md).")
    List<Path> events;
    @Option(names = "--as-of", paramLabel = "INSTANT", required = true, description = "The time the indicators are as of, ISO-8601, e.g. 2026-10-31T12:00:00Z.")
    Instant asOfOption;
    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The indicators as of --as-of, JSON Lines.")
    Path outPath;
    @Option(names = "--history", paramLabel = "FILE", description = "Also every indicator hourly, JSON Lines.")
    Path history;
    @Option(names = "--alerts", paramLabel = "FILE", description = "Also the alerts raised, JSON Lines.")
    Path alerts;
    @Option(names = "--config", paramLabel = "FILE", description = "Job options and indicator parameters (a council's own thresholds).")
    String config;
    @Option(names = "--pseudonym-key-file", paramLabel = "FILE", description = "The pseudonymisation secret. Default: a random one for this run.")
    String keyFile;
    @Option(names = "--allow-rejects", description = "Exit 0 even when some input was rejected.")
    boolean allowRejects;

    @Override
    public Integer call() throws Exception {
        long asOf = asOfOption.toEpochMilli();
        long started = System.nanoTime();
        Result r = run(events, asOf, config, keyFile, outPath, history, alerts);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Backtest as of %s: read %d, applied %d, rejected %d%s; %d not used by any job yet, %d after --as-of.%n",
                Instant.ofEpochMilli(asOf), r.read(), r.applied(), r.rejected(), r.rejectedByReason().isEmpty() ? "" : " " + r.rejectedByReason(),
                r.notForAnyJob(), r.afterAsOf());
        System.out.printf("Wrote %d indicator documents to %s%s in %.1f s (%.0f events/s).%n", r.indicatorDocuments(), outPath,
                history != null ? " and " + r.historyDocuments() + " hourly documents to " + history : "", seconds, r.read() / seconds);
        if (alerts != null) {
            System.out.printf("Wrote %d alerts to %s.%n", r.alerts(), alerts);
        }
        if (r.rejected() > 0) {
            System.out.println("Rejected lines: " + rejectedFile(outPath));
            if (!allowRejects) {
                System.out.println("Exit code " + EXIT_REJECTS + ": some input was rejected (--allow-rejects accepts that).");
                return EXIT_REJECTS;
            }
        }
        return 0;
    }

    static Path rejectedFile(Path out) {
        String name = out.getFileName().toString();
        String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        return out.resolveSibling(base + ".rejected.jsonl");
    }

    /**
     * Over events already read, in the order the job is to receive them (a source delivering out of event-time
     * order): they are written to a file in that order, which the run reads as it reads any file.
     */
    static Result run(EventFiles files, long asOf, String configFile, String keyFile, Path out, Path historyOut, Path alertsOut)
            throws Exception {
        Path arrivals = Files.createTempFile("safepath-backtest", ".jsonl");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(arrivals, StandardCharsets.UTF_8)) {
                for (FileEvent e : files.events) {
                    w.write(EventJson.write(e.stream(), e.record()));
                    w.newLine();
                }
            }
            return run(List.of(arrivals), asOf, configFile, keyFile, out, historyOut, alertsOut);
        } finally {
            Files.deleteIfExists(arrivals);
        }
    }

    static Result run(List<Path> paths, long asOf, String configFile, String keyFile, Path out, Path historyOut, Path alertsOut)
            throws Exception {
        List<Path> files = EventFiles.expand(paths);
        if (files.isEmpty()) {
            throw new UsageException("No event files (.jsonl, .json, .avro) in " + paths);
        }
        Map<String, String> config = new TreeMap<>();
        if (configFile != null) {
            config.putAll(JobSettings.readProperties(Path.of(configFile)));
        }
        config.put("backtest", "true");
        config.put("parallelism", "1");
        config.put("pseudonym-key-file", keyFile != null ? keyFile : ephemeralKey().toString());
        JobSettings settings = JobSettings.fromMap(config).evaluatingUntil(asOf, historyOut != null);

        // Each file is one split of its own source: its source as a whole is held back when it runs ahead. Flink reads
        // that permission from the task managers' configuration: this one's MiniCluster, or a surrounding cluster's
        // (a test's cluster must allow it too).
        StreamExecutionEnvironment env = Commands.localEnvironment(1);
        env.configure(new Configuration().set(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS, true));
        List<Domain> domains = Domains.all();
        // Each file its own source, read in parallel a line at a time; the same readers the Kafka sources run.
        FileInputs inputs = new FileInputs(env, settings, domains, files, asOf);
        SafePathPipeline.Outputs outputs = SafePathPipeline.wire(inputs, settings, domains, inputs::deadLetters);
        var toDocuments = new SafePathPipeline.ToDocuments(settings.catalogue());
        if (historyOut != null) {
            // Hourly history streams to its file as the run goes: a year of it need not fit in memory.
            outputs.indicators().filter(u -> u.target == IndicatorUpdate.Target.HISTORY).name("Hourly history")
                    .map(toDocuments).name("History documents")
                    .process(new HistoryFile(historyOut)).name("History file " + historyOut.getFileName());
        }
        // One value per row as of --as-of: small, collected here.
        CloseableIterator<IndicatorUpdate> documents = outputs.indicators()
                .filter(u -> u.target == IndicatorUpdate.Target.CURRENT).name("Values as of").collectAsync();
        CloseableIterator<DeadLetterRecord> deadLetters = outputs.deadLetters().collectAsync();
        CloseableIterator<Rejected> unreadable = inputs.rejected().collectAsync();
        CloseableIterator<Alert> raised = outputs.alerts() == null ? null : outputs.alerts().collectAsync();
        JobClient job = env.executeAsync("safepath-backtest");

        Map<String, IndexOperation> current = new TreeMap<>();
        Map<String, Alert> alerts = new TreeMap<>();
        List<Rejected> rejected = java.util.Collections.synchronizedList(new ArrayList<>());
        // The collect sinks wait for their reader: drain them all while the job runs.
        List<Thread> drains = List.of(
                drain("backtest-dead-letters", deadLetters, d -> rejected.add(new Rejected(d.sourceTopic,
                        d.sourceOffset == null ? 0 : d.sourceOffset, d.reason.name(), d.detail, ""))),
                drain("backtest-rejected", unreadable, rejected::add),
                drain("backtest-alerts", raised, a -> alerts.put(a.getRaisedAt().toEpochMilli() + "/" + a.getAlertId(), a)));
        JobExecutionResult result;
        try {
            documents.forEachRemaining(u -> keepNewest(current, toDocuments.map(u)));
            for (Thread t : drains) {
                t.join();
            }
            result = job.getJobExecutionResult().get();
        } catch (Exception | Error e) {
            // Nothing is left running behind a failure: the job is cancelled, the drains are daemons.
            job.cancel();
            throw e;
        }
        rejected.sort(java.util.Comparator.comparing(Rejected::file).thenComparingLong(Rejected::line));
        long read = count(result, FileInputs.Counts.READ);
        long afterAsOf = count(result, FileInputs.Counts.AFTER_AS_OF);
        long notForAnyJob = count(result, FileInputs.Counts.NOT_FOR_ANY_JOB);
        long applied = read - afterAsOf - notForAnyJob - count(result, FileInputs.Counts.REFERENCE) - rejected.size();

        writeDocuments(out, current.values());
        if (alertsOut != null) {
            if (alertsOut.toAbsolutePath().getParent() != null) {
                Files.createDirectories(alertsOut.toAbsolutePath().getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(alertsOut, StandardCharsets.UTF_8)) {
                for (Alert a : alerts.values()) {
                    w.write(AlertDocuments.json(a).toString());
                    w.newLine();
                }
            }
        }
        Map<String, Long> byReason = new TreeMap<>();
        rejected.forEach(r -> byReason.merge(r.reason(), 1L, Long::sum));
        Path rejectedOut = rejectedFile(out);
        if (rejected.isEmpty()) {
            Files.deleteIfExists(rejectedOut);
        } else {
            try (BufferedWriter w = Files.newBufferedWriter(rejectedOut, StandardCharsets.UTF_8)) {
                for (Rejected r : rejected) {
                    ObjectNode line = JSON.createObjectNode().put("file", r.file()).put("line", r.line())
                            .put("reason", r.reason()).put("detail", r.detail());
                    if (!r.text().isEmpty()) {
                        line.put("text", r.text());
                    }
                    w.write(line.toString());
                    w.newLine();
                    System.err.println(r.message());
                }
            }
        }
        return new Result(read, applied, byReason, notForAnyJob, afterAsOf, current.size(),
                count(result, HistoryFile.WRITTEN), alerts.size());
    }

    private static <T> Thread drain(String name, CloseableIterator<T> results, java.util.function.Consumer<T> each) {
        Thread t = new Thread(() -> {
            if (results != null) {
                results.forEachRemaining(each);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long count(JobExecutionResult result, String accumulator) {
        Object value = result.getAccumulatorResult(accumulator);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static void keepNewest(Map<String, IndexOperation> byId, IndexOperation op) {
        byId.merge(op.id(), op, (a, b) -> b.version() >= a.version() ? b : a);
    }

    /** Documents in a stable order: by indicator, then dimensions, then hour. */
    private static void writeDocuments(Path file, Iterable<IndexOperation> ops) throws Exception {
        List<String> lines = new ArrayList<>();
        for (IndexOperation op : ops) {
            JsonNode doc = JSON.readTree(op.source());
            lines.add(doc.get("indicator").asText() + '\u0000' + doc.get("dimensions") + '\u0000' + doc.path("hour").asText()
                    + '\u0000' + op.sourceAsString());
        }
        lines.sort(null);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l.substring(l.lastIndexOf('\u0000') + 1));
                w.newLine();
            }
        }
    }

    /** Pseudonyms never appear in the output, so a backtest without a key file uses a random one for the run. */
    private static Path ephemeralKey() throws Exception {
        Path key = Files.createTempFile("safepath-backtest", ".key");
        key.toFile().deleteOnExit();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(key, HexFormat.of().formatHex(secret));
        return key;
    }
}
