package org.safepath.app;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.dashboards.DashboardServer;
import org.safepath.infra.EmbeddedStack;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.simulator.CouncilSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code safepath bench-dashboard}: how fast each dashboard view's data comes back with a year of a county's history
 * in the indices. The history is the pipeline's own: a simulated year run through the jobs by a backtest, loaded into
 * Elasticsearch. Each view is then asked, over HTTP, what its page asks when it draws (the status line and the view's
 * requests, side by side as the page asks them), many times; the table gives each view's p50, p95 and slowest.
 */
@Command(name = "bench-dashboard", mixinStandardHelpOptions = true,
        description = "Each dashboard view's answer time with a year of a county's history in the indices (the embedded stack unless --elasticsearch).")
final class DashboardBenchmark implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--days", defaultValue = "365", description = "Days of simulated history. Default: ${DEFAULT-VALUE}.")
    int days;
    @Option(names = "--rounds", defaultValue = "50", description = "Times each view is asked. Default: ${DEFAULT-VALUE}.")
    int rounds;
    @Option(names = "--trend-days", defaultValue = "90",
            description = "Days each view's trend covers (the page offers 7, 30 and 90). Default: ${DEFAULT-VALUE}, the widest.")
    int trendDays;
    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "safepath-bench-dashboard", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDir;
    @Mixin
    ElasticsearchOption elasticsearch;

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Path work = dataDir.toAbsolutePath();
        Files.createDirectories(work);
        System.out.printf("Simulating %d days of a county and running them through the jobs (a backtest with hourly history) ...%n", days);
        var events = new CouncilSimulator(seed, CouncilSimulator.Rates.county()).generate(now.minus(Duration.ofDays(days)), now);
        Path files = work.resolve("events");
        EventFileWriter.write(files, events);
        Path current = work.resolve("current.jsonl");
        Path history = work.resolve("history.jsonl");
        Path alerts = work.resolve("alerts.jsonl");
        BacktestCommand.Result r = BacktestCommand.run(List.of(files), now.toEpochMilli(), null, null, current, history, alerts);
        System.out.printf("%d events: %d current values, %d hourly history documents, %d alerts.%n", r.read(), r.indicatorDocuments(),
                r.historyDocuments(), r.alerts());

        String es = elasticsearch.elasticsearch;
        EmbeddedStack stack = null;
        if (es == null) {
            System.out.println("Starting the embedded stack ...");
            stack = EmbeddedStack.start(work.resolve("stack"), true);
            es = stack.elasticsearchUrl();
        }
        try (var transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(es))) {
            SafePathIndices.install(transport, IndicatorCatalogue.defaults());
            ElasticsearchClient client = ElasticsearchClients.blocking(transport);
            long started = System.nanoTime();
            long loaded = load(client, current, doc -> SafePathIndices.CURRENT) + load(client, alerts, doc -> SafePathIndices.ALERTS)
                    + load(client, history, doc -> SafePathIndices.historyIndex(Instant.parse(doc.get("hour").asText()).toEpochMilli()));
            transport.restClient().performRequest(new org.elasticsearch.client.Request("POST", "/safepath-*/_refresh"));
            System.out.printf("Loaded %,d documents in %.0f s.%n", loaded, (System.nanoTime() - started) / 1e9);

            try (DashboardServer dashboard = DashboardServer.start(0, es)) {
                Map<String, List<String>> views = views(now, trendDays);
                HttpClient http = HttpClient.newHttpClient();
                for (int warm = 0; warm < 3; warm++) {
                    for (List<String> requests : views.values()) {
                        ask(http, dashboard.url(), requests, new LinkedHashMap<>());
                    }
                }
                System.out.printf("%n%-14s %9s %9s %9s   %s%n", "view", "p50", "p95", "max",
                        "slowest request's p95   (ms, " + rounds + " rounds, trends over " + trendDays
                                + " days; a view is its requests side by side, as the page asks them)");
                boolean allUnder = true;
                for (Map.Entry<String, List<String>> view : views.entrySet()) {
                    double[] millis = new double[rounds];
                    Map<String, double[]> byRequest = new LinkedHashMap<>();
                    view.getValue().forEach(path -> byRequest.put(path, new double[rounds]));
                    for (int i = 0; i < rounds; i++) {
                        Map<String, Double> each = new LinkedHashMap<>();
                        millis[i] = ask(http, dashboard.url(), view.getValue(), each);
                        for (Map.Entry<String, Double> request : each.entrySet()) {
                            byRequest.get(request.getKey())[i] = request.getValue();
                        }
                    }
                    Arrays.sort(millis);
                    String slowest = null;
                    double slowestP95 = 0;
                    for (Map.Entry<String, double[]> request : byRequest.entrySet()) {
                        Arrays.sort(request.getValue());
                        double p95 = percentile(request.getValue(), 0.95);
                        if (p95 >= slowestP95) {
                            slowestP95 = p95;
                            slowest = request.getKey().replaceAll("\\?.*", "");
                        }
                    }
                    double p95 = percentile(millis, 0.95);
                    allUnder &= p95 < 200;
                    System.out.printf("%-14s %9.1f %9.1f %9.1f   %.1f %s%n", view.getKey(), percentile(millis, 0.50), p95, millis[millis.length - 1],
                            slowestP95, slowest);
                }
                System.out.println(allUnder ? "Every view answers in under 200 ms at p95." : "Some view is at or over 200 ms at p95.");
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        return 0;
    }

    /** What each view's page asks when it draws, beside the status line: the same paths and parameters as app.js. */
    static Map<String, List<String>> views(Instant now, int trendDays) {
        String to = now.plus(Duration.ofHours(1)).toString();
        String from = now.plus(Duration.ofHours(1)).minus(Duration.ofDays(trendDays)).toString();
        // The page's steps: hourly up to a week, six-hourly up to a month, daily beyond.
        String interval = trendDays > 30 ? "1d" : trendDays > 7 ? "6h" : "1h";
        java.util.function.Function<String, String> trend = id -> "/api/history?indicator=" + id + "&from=" + from + "&to=" + to
                + "&interval=" + interval;
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("overview", List.of("/api/status", "/api/overview", "/api/alerts?open=1&size=10", "/api/dead-letters"));
        v.put("discharge", List.of("/api/status", "/api/current?domain=discharge", trend.apply("discharge.nctr_in_bed")));
        v.put("safeguarding", List.of("/api/status", "/api/current?domain=safeguarding", trend.apply("safeguarding.concerns_90d")));
        v.put("provider", List.of("/api/status", "/api/current?domain=provider", trend.apply("provider.open_concerns")));
        v.put("waiting", List.of("/api/status", "/api/current?domain=waiting", trend.apply("waiting.people_waiting")));
        v.put("brokerage", List.of("/api/status", "/api/current?domain=brokerage", trend.apply("brokerage.open_requests")));
        v.put("transitions", List.of("/api/status", "/api/current?domain=transitions", trend.apply("transitions.tracked")));
        v.put("placements", List.of("/api/status", "/api/current?domain=placements", trend.apply("placements.out_of_area")));
        v.put("alerts", List.of("/api/status", "/api/alerts?open=1&size=500"));
        return v;
    }

    /**
     * Asks a view's requests side by side, as the page does, and returns how long the page waits (ms) for the last;
     * {@code each} gets each request's own time.
     */
    private static double ask(HttpClient http, String base, List<String> requests, Map<String, Double> each) throws Exception {
        long started = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (String path : requests) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                        synchronized (each) {
                            each.put(path, (System.nanoTime() - started) / 1e6);
                        }
                    }));
        }
        for (int i = 0; i < requests.size(); i++) {
            HttpResponse<String> r = answers.get(i).join();
            if (r.statusCode() != 200) {
                throw new IllegalStateException(requests.get(i) + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        return (System.nanoTime() - started) / 1e6;
    }

    /** Through the client's bulk ingester: requests of 5,000, two in flight (a year of history is 20 million documents). */
    private static long load(ElasticsearchClient client, Path jsonl, java.util.function.Function<JsonNode, String> index) throws Exception {
        if (!Files.exists(jsonl)) {
            return 0;
        }
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        BulkListener<Void> listener = new BulkListener<>() {
            @Override
            public void beforeBulk(long executionId, BulkRequest request, List<Void> contexts) {
            }

            @Override
            public void afterBulk(long executionId, BulkRequest request, List<Void> contexts, BulkResponse response) {
                if (response.errors()) {
                    failure.compareAndSet(null, new IllegalStateException("Elasticsearch refused a document: " + response.items().stream()
                            .filter(i -> i.error() != null).findFirst().map(i -> i.error().reason()).orElse("?")));
                }
            }

            @Override
            public void afterBulk(long executionId, BulkRequest request, List<Void> contexts, Throwable cause) {
                failure.compareAndSet(null, new IllegalStateException("A bulk request failed: " + cause.getMessage(), cause));
            }
        };
        long n = 0;
        try (BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(client).maxOperations(5000).maxConcurrentRequests(2)
                .maxSize(Long.MAX_VALUE).listener(listener));
             BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null && failure.get() == null; line = in.readLine()) {
                String target = index.apply(JSON.readTree(line));
                byte[] source = line.getBytes(StandardCharsets.UTF_8);
                ingester.add(BulkOperation.of(b -> b.index(i -> i.index(target).document(BinaryData.of(source, "application/json")))));
                if (++n % 1_000_000 == 0) {
                    System.out.printf("  %,d documents of %s sent%n", n, jsonl.getFileName());
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return n;
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
