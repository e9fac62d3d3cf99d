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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.safepath.app.files.EventFiles;
import org.safepath.app.files.EventFiles.FileEvent;
import org.safepath.app.files.EventFiles.Rejected;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.config.JobSettings;
import org.safepath.app.files.FileInputs;
import org.safepath.connectors.elasticsearch.AlertDocuments;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.Domains;
import org.safepath.jobs.pipeline.SafePathPipeline;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.records.Alert;
import org.safepath.schemas.EventStream;
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
                  int indicatorDocuments, int historyDocuments, int alerts) {
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

    static Result run(List<Path> paths, long asOf, String configFile, String keyFile, Path out, Path historyOut, Path alertsOut)
            throws Exception {
        return run(EventFiles.read(paths), asOf, configFile, keyFile, out, historyOut, alertsOut);
    }

    /** Over events already read, in the order the job is to receive them. */
    static Result run(EventFiles files, long asOf, String configFile, String keyFile, Path out, Path historyOut, Path alertsOut)
            throws Exception {
        List<Rejected> rejected = new ArrayList<>(files.rejected);

        Map<String, String> config = new TreeMap<>();
        if (configFile != null) {
            config.putAll(JobSettings.readProperties(Path.of(configFile)));
        }
        config.put("backtest", "true");
        config.put("parallelism", "1");
        config.put("pseudonym-key-file", keyFile != null ? keyFile : ephemeralKey().toString());
        JobSettings settings = JobSettings.fromMap(config).evaluatingUntil(asOf, historyOut != null);

        List<FileEvent> upToAsOf = new ArrayList<>();
        long afterAsOf = 0;
        for (FileEvent e : files.events) {
            if (e.occurredAt() > asOf && e.stream() != EventStream.PROVIDER_REFERENCE) {
                afterAsOf++;
            } else {
                upToAsOf.add(e);
            }
        }

        StreamExecutionEnvironment env = Commands.localEnvironment(1);
        List<Domain> domains = Domains.all();
        // The same readers the Kafka sources run: validation and pseudonymisation, one code path.
        FileInputs inputs = new FileInputs(env, settings, domains, upToAsOf);
        SafePathPipeline.Outputs outputs = SafePathPipeline.wire(inputs, settings, domains, inputs::deadLetters);
        rejected.addAll(inputs.rejected);
        Map<String, IndexOperation> current = new TreeMap<>();
        Map<String, IndexOperation> hourly = new TreeMap<>();
        Map<String, Alert> alerts = new TreeMap<>();
        var toDocuments = new SafePathPipeline.ToDocuments(settings.catalogue());
        CloseableIterator<IndicatorUpdate> documents = outputs.indicators().collectAsync();
        CloseableIterator<DeadLetterRecord> deadLetters = outputs.deadLetters().collectAsync();
        CloseableIterator<Alert> raised = outputs.alerts() == null ? null : outputs.alerts().collectAsync();
        var job = env.executeAsync("safepath-backtest");
        // The collect sinks wait for their reader: drain them all while the job runs.
        List<Rejected> late = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread drainDeadLetters = new Thread(() -> deadLetters.forEachRemaining(d -> late.add(new Rejected(d.sourceTopic,
                d.sourceOffset == null ? 0 : d.sourceOffset, d.reason.name(), d.detail, ""))), "backtest-dead-letters");
        drainDeadLetters.start();
        Thread drainAlerts = new Thread(() -> {
            if (raised != null) {
                raised.forEachRemaining(a -> alerts.put(a.getRaisedAt().toEpochMilli() + "/" + a.getAlertId(), a));
            }
        }, "backtest-alerts");
        drainAlerts.start();
        documents.forEachRemaining(u -> {
            IndexOperation op = toDocuments.map(u);
            keepNewest(u.target == IndicatorUpdate.Target.HISTORY ? hourly : current, op);
        });
        drainDeadLetters.join();
        drainAlerts.join();
        job.getJobExecutionResult().get();
        late.sort(java.util.Comparator.comparing(Rejected::file).thenComparingLong(Rejected::line));
        rejected.addAll(late);
        long notForAnyJob = inputs.notForAnyJob;
        long references = upToAsOf.stream().filter(e -> e.stream() == EventStream.PROVIDER_REFERENCE).count();
        long applied = files.events.size() - afterAsOf - notForAnyJob - references - (rejected.size() - files.rejected.size());

        writeDocuments(out, current.values());
        if (historyOut != null) {
            writeDocuments(historyOut, hourly.values());
        }
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
        return new Result(files.read, applied, byReason, notForAnyJob, afterAsOf, current.size(), hourly.size(), alerts.size());
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
