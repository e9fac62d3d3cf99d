package org.safepath.jobs;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.KafkaRejectedDocumentSink;
import org.safepath.connectors.elasticsearch.SafePathElasticsearchSink;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.DeadLetterSerializationSchema;
import org.safepath.connectors.kafka.KafkaSecurity;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.pipeline.Domain;
import org.safepath.jobs.pipeline.Domains;
import org.safepath.jobs.pipeline.KafkaInputs;
import org.safepath.jobs.pipeline.SafePathPipeline;
import org.safepath.jobs.primitives.DeadLetterAccounting;
import org.safepath.records.Alert;
import org.safepath.connectors.elasticsearch.AlertDocuments;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.kafka.AlertSerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import java.util.List;

/**
 * The entry point of the Flink application jar ({@code flink run safepath-jobs-*-flink.jar --kafka ...}) and of
 * the embedded mode: builds every SafePath job into one environment, with production sinks.
 */
public final class SafePathJobs {

    private SafePathJobs() {
    }

    public static void main(String[] args) throws Exception {
        JobSettings settings = org.safepath.jobs.config.JobCommandLine.settings(args);
        prepare(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration());
        build(env, settings);
        env.execute("safepath");
    }

    /** Flink settings every SafePath pipeline runs with: no silent Kryo fallback for our types. */
    public static Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * What must exist before the jobs write: the index templates and fixed indices (with the fields of this
     * version's catalogue). Idempotent; {@code safepath init} and the demo do it too.
     */
    public static void prepare(JobSettings settings) throws java.io.IOException {
        try (var transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(settings.elasticsearchUrl()))) {
            SafePathIndices.install(transport, settings.catalogue());
        }
    }

    /** Wires every domain with its production sources and sinks into the environment (nothing is contacted here). */
    public static void build(StreamExecutionEnvironment env, JobSettings settings) throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(settings.parallelism());
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        // Live: an event crosses about four exchanges (deduplication, its tracker, its row, the sink); Flink's 100 ms
        // wait for a fuller buffer at each could be most of a second. (Backtests, built elsewhere, keep the default.)
        env.setBufferTimeout(settings.bufferTimeout().toMillis());
        ElasticsearchSettings es = ElasticsearchSettings.fromEnvironment(settings.elasticsearchUrl());
        RegistrySettings registry = RegistrySettings.fromEnvironment(settings.registryUrl());
        List<Domain> domains = Domains.all();
        KafkaInputs inputs = new KafkaInputs(env, settings, domains);
        SafePathPipeline.Outputs out = SafePathPipeline.wire(inputs, settings, domains, inputs::deadLetters);

        DataStream<IndexOperation> documents = out.indicators()
                .map(new SafePathPipeline.ToDocuments(settings.catalogue()), TypeInformation.of(IndexOperation.class))
                .name("indicator documents").uid("indicator-documents")
                .union(out.deadLetters().process(new DeadLetterAccounting(settings.kafkaBootstrapServers()), TypeInformation.of(IndexOperation.class))
                        .name("count dead letters").uid("dead-letter-accounting"));
        // Care homes' names beside their CQC location ids on the dashboard, from the provider reference data.
        documents = documents.union(inputs.providerReference()
                .map(r -> org.safepath.connectors.elasticsearch.NameDocuments.of(org.safepath.connectors.elasticsearch.NameDocuments.CQC_LOCATION,
                        r.getLocationId().toString(), r.getName().toString(), r.getLocalAuthority() == null ? null : r.getLocalAuthority().toString(),
                        r.getUpdatedAt().toEpochMilli()), TypeInformation.of(IndexOperation.class))
                .name("care home names").uid("provider-name-documents"));
        if (out.alerts() != null) {
            documents = documents.union(out.alerts().map(AlertDocuments::of, TypeInformation.of(IndexOperation.class))
                    .name("alert documents").uid("alert-documents"));
            out.alerts().sinkTo(KafkaSink.<Alert>builder()
                            .setBootstrapServers(settings.kafkaBootstrapServers())
                            .setKafkaProducerConfig(KafkaSecurity.fromEnvironment().asProperties())
                            .setRecordSerializer(new AlertSerializationSchema(registry, settings.topicPrefix()))
                            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                            .build())
                    .name("alerts to Kafka").uid("alerts-kafka-sink");
        }
        documents.sinkTo(SafePathElasticsearchSink.create(es, new KafkaRejectedDocumentSink(settings.kafkaBootstrapServers(), registry)))
                .name("to Elasticsearch").uid("es-sink");
        out.deadLetters().sinkTo(deadLetterSink(settings, registry)).name("dead letters to Kafka").uid("dead-letter-sink");
    }

    public static KafkaSink<DeadLetterRecord> deadLetterSink(JobSettings settings, RegistrySettings registry) {
        return KafkaSink.<DeadLetterRecord>builder()
                .setBootstrapServers(settings.kafkaBootstrapServers())
                .setKafkaProducerConfig(KafkaSecurity.fromEnvironment().asProperties())
                .setRecordSerializer(new DeadLetterSerializationSchema(registry))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
