package org.safepath.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.IndicatorDocuments;
import org.safepath.connectors.elasticsearch.RejectedDocumentSink;
import org.safepath.connectors.elasticsearch.SafePathElasticsearchSink;
import org.safepath.infra.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code safepath bench-sink}: the Elasticsearch sink's throughput for realistic indicator documents, side by
 * side in one run with the raw ceiling: the same documents sent by a plain {@code _bulk} loop of the Java
 * client with the same batch size, no Flink. Prints documents/s for both and their ratio.
 */
@Command(name = "bench-sink", mixinStandardHelpOptions = true,
        description = "The Elasticsearch sink's throughput next to a plain _bulk loop with the same documents (the embedded stack unless --elasticsearch).")
final class SinkBenchmark implements Callable<Integer> {

    @Option(names = "--documents", defaultValue = "200000", description = "Default: ${DEFAULT-VALUE}.")
    int documents;
    @Option(names = "--batch", defaultValue = "1000", description = "Documents per bulk request. Default: ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--in-flight", defaultValue = "4", description = "The sink's bulk requests in flight. Default: ${DEFAULT-VALUE}.")
    int inFlight;
    @Option(names = "--rounds", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int rounds;
    @picocli.CommandLine.Mixin
    ElasticsearchOption elasticsearch;

    @Override
    public Integer call() throws Exception {
        String es = elasticsearch.elasticsearch;
        EmbeddedStack stack = null;
        if (es == null) {
            System.out.println("Starting the embedded stack for the benchmark ...");
            stack = EmbeddedStack.start(Path.of("safepath-data", "bench"), true);
            es = stack.elasticsearchUrl();
        }
        try {
            List<IndexOperation> raw = documents("bench-raw", documents);
            List<IndexOperation> viaSink = documents("bench-sink", documents);
            ElasticsearchSettings settings = ElasticsearchSettings.of(es).withBatching(batch, inFlight, 1000);
            System.out.printf("%d indicator documents (%d bytes on average), batches of %d, sink in-flight limit %d%n",
                    documents, raw.stream().mapToLong(op -> op.source().length).sum() / documents, batch, inFlight);
            var transport = ElasticsearchClients.transport(settings);
            ElasticsearchClient client = ElasticsearchClients.blocking(transport);
            try (MiniCluster cluster = startMiniCluster()) {
                for (int round = 1; round <= rounds; round++) {
                    deleteIndices(client);
                    double rawRate = rawBulk(client, raw, batch);
                    double sinkRate = flinkSink(cluster, settings, viaSink);
                    System.out.printf("round %d: raw _bulk loop %,.0f docs/s; SafePath sink %,.0f docs/s; ratio %.2f%n",
                            round, rawRate, sinkRate, sinkRate / rawRate);
                }
            }
            deleteIndices(client);
            transport.close();
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        return 0;
    }

    /** History documents of the discharge job's shape: 14 indicators x 12 sites/pathways x hours. */
    static List<IndexOperation> documents(String index, int n) {
        Random random = new Random(1);
        String[] indicators = {"discharge.nctr_in_bed", "discharge.nctr_delay_7_plus", "discharge.nctr_delay_14_plus",
                "discharge.nctr_delay_21_plus", "discharge.discharges_7d", "discharge.median_delay_days_28d",
                "discharge.delayed_bed_days_7d", "discharge.readmissions_30d"};
        List<IndexOperation> ops = new ArrayList<>(n);
        long start = 1_767_225_600_000L;
        for (int i = 0; i < n; i++) {
            Map<String, String> dims = new LinkedHashMap<>();
            dims.put("local_authority", "E06000054");
            dims.put("hospital_site", new String[]{"RNZ02", "RD130", "RN325"}[i % 3]);
            dims.put("pathway", "P" + (i / 3) % 4);
            String indicator = indicators[(i / 12) % indicators.length];
            long hour = start + (long) (i / (12 * indicators.length)) * 3_600_000L;
            IndexOperation op = IndicatorDocuments.history(new IndicatorDocuments.Value(indicator, dims,
                    random.nextInt(40), "people", "NONE", true, hour, Map.of()));
            ops.add(new IndexOperation(index, op.id(), op.version(), op.source()));
        }
        return ops;
    }

    private static double rawBulk(ElasticsearchClient client, List<IndexOperation> ops, int batch) throws Exception {
        long started = System.nanoTime();
        for (int from = 0; from < ops.size(); from += batch) {
            List<BulkOperation> bulk = new ArrayList<>();
            for (IndexOperation op : ops.subList(from, Math.min(ops.size(), from + batch))) {
                bulk.add(BulkOperation.of(b -> b.index(i -> i.index(op.index()).id(op.id()).version(op.version())
                        .versionType(VersionType.ExternalGte).document(BinaryData.of(op.source(), "application/json")))));
            }
            BulkResponse response = client.bulk(b -> b.operations(bulk));
            if (response.errors()) {
                throw new IllegalStateException("raw bulk had errors: " + response.items().get(0).error());
            }
        }
        return ops.size() / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * The sink's rate, timed as the loop's is: from the documents handed over to the last one written. The loop's
     * client exists before its clock starts, and so does the sink's MiniCluster: the clock runs from the job's
     * submission (the sink's writer and its connection are made inside) to its end.
     */
    private static double flinkSink(MiniCluster cluster, ElasticsearchSettings settings, List<IndexOperation> ops) throws Exception {
        StreamExecutionEnvironment env = Commands.localEnvironment(1);
        env.fromData(ops, TypeInformation.of(IndexOperation.class)).name("documents")
                .sinkTo(SafePathElasticsearchSink.create(settings, new FailOnReject())).name("SafePath Elasticsearch sink");
        StreamGraph job = env.getStreamGraph();
        job.setJobName("bench-sink");
        long started = System.nanoTime();
        JobID id = cluster.submitJob(job).get().getJobID();
        cluster.requestJobResult(id).get().toJobExecutionResult(SinkBenchmark.class.getClassLoader());
        return ops.size() / ((System.nanoTime() - started) / 1e9);
    }

    private static MiniCluster startMiniCluster() throws Exception {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(Commands.localConfiguration())
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build());
        cluster.start();
        return cluster;
    }

    private static void deleteIndices(ElasticsearchClient client) throws Exception {
        client.indices().delete(d -> d.index("bench-raw", "bench-sink").ignoreUnavailable(true));
    }

    /** The benchmark's documents are all valid: a rejection is a benchmark bug. */
    static final class FailOnReject implements RejectedDocumentSink {
        @Override
        public void open() {
        }

        @Override
        public void reject(IndexOperation operation, int status, String reason) {
            throw new IllegalStateException("benchmark document rejected: " + reason);
        }

        @Override
        public void close() {
        }
    }
}
