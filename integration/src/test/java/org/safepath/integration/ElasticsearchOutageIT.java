package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.KafkaRejectedDocumentSink;
import org.safepath.connectors.elasticsearch.SafePathElasticsearchSink;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.infra.EmbeddedStack;
import org.safepath.jobs.SafePathJobs;

/**
 * Elasticsearch killed ({@code kill -9}) under a running job: the operator is told once when it goes and once
 * when it is back, not per request; nothing is lost or written twice; and past the outage limit the job really
 * fails over to its last checkpoint and, once Elasticsearch is back, finishes with every document.
 */
class ElasticsearchOutageIT {

    private static final String OUTAGE_LOGGER = "org.safepath.connectors.elasticsearch.ElasticsearchOutage";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** What the operator reads: the lines the outage reporter writes. */
    static final class OperatorLog extends AbstractAppender {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        OperatorLog() {
            super("operator-log", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }
    }

    /** Counts how often the pipeline was (re)started: one more each time Flink fails over. */
    static final class CountStarts extends RichMapFunction<IndexOperation, IndexOperation> {
        static final AtomicInteger STARTS = new AtomicInteger();

        @Override
        public void open(OpenContext context) {
            STARTS.incrementAndGet();
        }

        @Override
        public IndexOperation map(IndexOperation op) throws Exception {
            Thread.sleep(10);
            return op;
        }
    }

    private final OperatorLog log = new OperatorLog();
    private EmbeddedStack stack;

    @BeforeEach
    void listen() {
        stack = SharedStack.get();
        log.start();
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(OUTAGE_LOGGER)).addAppender(log);
        CountStarts.STARTS.set(0);
    }

    @AfterEach
    void stopListening() {
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(OUTAGE_LOGGER)).removeAppender(log);
    }

    private static List<IndexOperation> documents(String index, int n) {
        List<IndexOperation> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String json = "{\"indicator\":\"outage.test\",\"value\":" + (i * 0.5) + ",\"as_of\":" + i + "}";
            ops.add(new IndexOperation(index, "hour-" + i, 1_700_000_000_000L + i, json.getBytes(StandardCharsets.UTF_8)));
        }
        return ops;
    }

    private StreamExecutionEnvironment env() {
        Configuration conf = SafePathJobs.flinkConfiguration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(500);
        return env;
    }

    private void assertAllWrittenOnce(String index, int n) {
        Elastic.request(stack.elasticsearchUrl(), "POST", "/" + index + "/_refresh", null);
        assertThat(Elastic.count(stack.elasticsearchUrl(), index, "{\"match_all\":{}}")).isEqualTo(n);
        var hits = Elastic.request(stack.elasticsearchUrl(), "POST", "/" + index + "/_search",
                "{\"size\":10000,\"query\":{\"match_all\":{}}}").path("hits").path("hits");
        hits.forEach(h -> {
            int i = Integer.parseInt(h.get("_id").asText().substring("hour-".length()));
            assertThat(h.get("_source").get("value").asDouble()).as("value of hour-%d", i).isEqualTo(i * 0.5);
        });
    }

    @Test
    void elasticsearchKilledForFifteenSecondsIsReportedOnceWhenItGoesAndOnceWhenItIsBackAndLosesNothing() throws Exception {
        String index = "outage-it-short";
        StreamExecutionEnvironment env = env();
        env.fromData(documents(index, 2500), TypeInformation.of(IndexOperation.class)).map(new CountStarts())
                .sinkTo(SafePathElasticsearchSink.create(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(50, 2, 200),
                        new KafkaRejectedDocumentSink(stack.kafkaBootstrapServers(), RegistrySettings.of(stack.registryUrl()))));
        var job = env.executeAsync("outage-short");
        Thread.sleep(6_000);
        stack.killElasticsearch();
        java.net.http.HttpResponse<String> dashboardAnswer;
        try (var dashboard = org.safepath.dashboards.DashboardServer.start(0, stack.elasticsearchUrl())) {
            dashboardAnswer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(dashboard.url() + "api/current?domain=discharge")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
        Thread.sleep(15_000);
        stack.restartElasticsearch();
        job.getJobExecutionResult().get();

        // What the dashboard says meanwhile: one plain sentence, not "did not answer: null".
        assertThat(dashboardAnswer.statusCode()).isEqualTo(503);
        assertThat(dashboardAnswer.body()).contains("is not answering (connection refused at").contains("catches up by itself")
                .doesNotContain("null");
        assertAllWrittenOnce(index, 2500);
        List<String> lines = List.copyOf(log.lines);
        assertThat(lines).filteredOn(l -> l.contains("is not answering since")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.contains("is answering again after")).hasSize(1);
        assertThat(lines.get(0)).contains(stack.elasticsearchUrl()).contains("nothing is dropped").contains("fails over");
        assertThat(CountStarts.STARTS.get()).as("no failover for an outage within the limit").isEqualTo(1);
    }

    @Test
    void anOutageLongerThanTheLimitFailsTheJobOverToItsCheckpointAndItFinishesOnceElasticsearchIsBack() throws Exception {
        String index = "outage-it-long";
        StreamExecutionEnvironment env = env();
        env.fromData(documents(index, 2500), TypeInformation.of(IndexOperation.class)).map(new CountStarts())
                .sinkTo(SafePathElasticsearchSink.create(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(50, 2, 200)
                                .withMaxOutage(Duration.ofSeconds(8)),
                        new KafkaRejectedDocumentSink(stack.kafkaBootstrapServers(), RegistrySettings.of(stack.registryUrl()))));
        var job = env.executeAsync("outage-long");
        Thread.sleep(6_000);
        stack.killElasticsearch();
        Thread.sleep(25_000);
        stack.restartElasticsearch();
        job.getJobExecutionResult().get();

        assertAllWrittenOnce(index, 2500);
        assertThat(CountStarts.STARTS.get()).as("restarts from the checkpoint after the limit").isGreaterThanOrEqualTo(2);
        assertThat(log.lines).anyMatch(l -> l.contains("is not answering since"));
    }
}
