package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.KafkaRejectedDocumentSink;
import org.safepath.connectors.elasticsearch.SafePathElasticsearchSink;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.infra.EmbeddedStack;
import org.safepath.jobs.SafePathJobs;
import org.safepath.records.DeadLetter;

/** The Elasticsearch sink against the real Elasticsearch 8.19: ordering, poison documents, outages, restarts. */
class ElasticsearchSinkIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static EmbeddedStack stack;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
    }

    private static SafePathElasticsearchSink sink(ElasticsearchSettings settings) {
        return SafePathElasticsearchSink.create(settings,
                new KafkaRejectedDocumentSink(stack.kafkaBootstrapServers(), RegistrySettings.of(stack.registryUrl())));
    }

    private static IndexOperation doc(String index, String id, long version, Object value) {
        String json = "{\"indicator\":\"sink.test\",\"value\":" + (value instanceof String s ? "\"" + s + "\"" : value)
                + ",\"as_of\":" + version + "}";
        return new IndexOperation(index, id, version, json.getBytes(StandardCharsets.UTF_8));
    }

    private static StreamExecutionEnvironment env(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(SafePathJobs.flinkConfiguration());
        env.setParallelism(parallelism);
        return env;
    }

    /** id to (version, value) of every document in the index. */
    private static Map<String, double[]> stored(String index) {
        Map<String, double[]> out = new TreeMap<>();
        Elastic.request(stack.elasticsearchUrl(), "POST", "/" + index + "/_refresh", null);
        JsonNode hits = Elastic.request(stack.elasticsearchUrl(), "POST", "/" + index + "/_search?version=true",
                "{\"size\":10000,\"query\":{\"match_all\":{}}}").path("hits").path("hits");
        hits.forEach(h -> out.put(h.get("_id").asText(), new double[]{h.get("_version").asLong(), h.get("_source").get("value").asDouble()}));
        return out;
    }

    @Test
    void updatesToOneDocumentArrivingOutOfOrderAcrossConcurrentBulksLeaveTheNewest() throws Exception {
        String index = "sink-it-order";
        List<IndexOperation> ops = new ArrayList<>();
        Map<String, Long> newest = new HashMap<>();
        for (int d = 0; d < 20; d++) {
            for (int v = 1; v <= 30; v++) {
                long version = 1_700_000_000_000L + v * 60_000L;
                ops.add(doc(index, "doc-" + d, version, v * 10 + d));
                newest.merge("doc-" + d, version, Math::max);
            }
        }
        Collections.shuffle(ops, new Random(7));
        StreamExecutionEnvironment env = env(2);
        env.fromData(ops, TypeInformation.of(IndexOperation.class))
                .sinkTo(sink(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(3, 8, 50)));
        env.execute("sink-order");

        Map<String, double[]> stored = stored(index);
        assertThat(stored).hasSize(20);
        for (int d = 0; d < 20; d++) {
            double[] doc = stored.get("doc-" + d);
            assertThat((long) doc[0]).as("version of doc-%d", d).isEqualTo(newest.get("doc-" + d));
            assertThat(doc[1]).as("value of doc-%d", d).isEqualTo(30 * 10 + d);
        }
    }

    @Test
    void aDocumentWithAFieldOfTheWrongTypeIsDeadLetteredWithTheReasonWhileTheOthersAreWritten() throws Exception {
        String index = "sink-it-poison";
        Elastic.request(stack.elasticsearchUrl(), "PUT", "/" + index,
                "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"indicator\":{\"type\":\"keyword\"},\"value\":{\"type\":\"double\"},\"as_of\":{\"type\":\"long\"}}}}");
        List<IndexOperation> ops = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ops.add(i == 25 ? doc(index, "poison", 1000 + i, "not a number") : doc(index, "good-" + i, 1000 + i, i));
        }
        StreamExecutionEnvironment env = env(1);
        env.fromData(ops, TypeInformation.of(IndexOperation.class))
                .sinkTo(sink(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(10, 2, 50)));
        env.execute("sink-poison");

        assertThat(stored(index)).hasSize(49).doesNotContainKey("poison");
        List<DeadLetter> rejected = DeadLetterTopic.readAll().stream().filter(d -> "poison".equals(d.getEventId())).toList();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).getReason().name()).isEqualTo("REJECTED_BY_ELASTICSEARCH");
        assertThat(rejected.get(0).getDetail()).contains("400").contains("value");
        assertThat(new String(rejected.get(0).getRaw().array(), StandardCharsets.UTF_8)).contains("not a number");
    }

    /** Slows a stream so a test can act while it runs. */
    static final class Paced implements MapFunction<IndexOperation, IndexOperation> {
        private final long millis;

        Paced(long millis) {
            this.millis = millis;
        }

        @Override
        public IndexOperation map(IndexOperation op) throws Exception {
            Thread.sleep(millis);
            return op;
        }
    }

    @Test
    void elasticsearchStoppedForThirtySecondsMidStreamLosesAndDuplicatesNothing() throws Exception {
        String index = "sink-it-outage";
        List<IndexOperation> ops = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ops.add(doc(index, "hour-" + i, 1_700_000_000_000L + i, i * 0.5));
        }
        StreamExecutionEnvironment env = env(1);
        env.enableCheckpointing(1000);
        env.fromData(ops, TypeInformation.of(IndexOperation.class)).map(new Paced(10))
                .sinkTo(sink(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(50, 2, 200)));
        var job = env.executeAsync("sink-outage");
        Thread.sleep(6_000);
        long before = Elastic.count(stack.elasticsearchUrl(), index, "{\"match_all\":{}}");
        stack.stopElasticsearch();
        Thread.sleep(30_000);
        stack.restartElasticsearch();
        job.getJobExecutionResult().get();

        assertThat(before).as("documents written before the outage").isBetween(1L, 2999L);
        Map<String, double[]> stored = stored(index);
        assertThat(Elastic.count(stack.elasticsearchUrl(), index, "{\"match_all\":{}}")).isEqualTo(3000);
        for (int i = 0; i < 3000; i++) {
            assertThat(stored.get("hour-" + i)).as("hour-%d", i).isNotNull();
            assertThat(stored.get("hour-" + i)[1]).isEqualTo(i * 0.5);
        }
    }

    /** Fails the job once, after {@code after} records, as a crash would. */
    static final class FailOnce implements MapFunction<IndexOperation, IndexOperation> {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger SEEN = new AtomicInteger();
        private final int after;

        FailOnce(int after) {
            this.after = after;
        }

        @Override
        public IndexOperation map(IndexOperation op) throws Exception {
            Thread.sleep(2);
            if (SEEN.incrementAndGet() == after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + after + " records");
            }
            return op;
        }
    }

    @Test
    void aRestartFromCheckpointEndsWithTheSameDocumentsAsAnUninterruptedRun() throws Exception {
        List<IndexOperation> plain = new ArrayList<>();
        List<IndexOperation> crashing = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long version = 1_700_000_000_000L + (i % 400) * 1000L + i / 400;
            plain.add(doc("sink-it-uninterrupted", "k-" + (i % 400), version, i));
            crashing.add(doc("sink-it-restarted", "k-" + (i % 400), version, i));
        }
        StreamExecutionEnvironment uninterrupted = env(2);
        uninterrupted.fromData(plain, TypeInformation.of(IndexOperation.class))
                .sinkTo(sink(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(20, 4, 100)));
        uninterrupted.execute("sink-uninterrupted");

        Configuration restart = SafePathJobs.flinkConfiguration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment restarted = StreamExecutionEnvironment.getExecutionEnvironment(restart);
        restarted.setParallelism(2);
        restarted.enableCheckpointing(200);
        restarted.fromData(crashing, TypeInformation.of(IndexOperation.class)).map(new FailOnce(900))
                .sinkTo(sink(ElasticsearchSettings.of(stack.elasticsearchUrl()).withBatching(20, 4, 100)));
        restarted.execute("sink-restarted");

        assertThat(FailOnce.FAILED).isTrue();
        Map<String, double[]> a = stored("sink-it-uninterrupted");
        Map<String, double[]> b = stored("sink-it-restarted");
        assertThat(a).hasSize(400);
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String id : a.keySet()) {
            assertThat(b.get(id)).as(id).containsExactly(a.get(id));
            // Independently: the last write of each key is record 1600 + k, with the highest version.
            int k = Integer.parseInt(id.substring(2));
            assertThat(a.get(id)[1]).isEqualTo(1600 + k);
        }
    }

}
