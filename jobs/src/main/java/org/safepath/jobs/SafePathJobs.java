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
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.discharge.DischargeJob;

/**
 * The entry point of the Flink application jar ({@code flink run safepath-jobs-*-flink.jar --kafka ...}) and of
 * the embedded mode: builds every SafePath job into one environment, with production sinks.
 */
public final class SafePathJobs {

    private SafePathJobs() {
    }

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
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

    /** Installs the index templates and wires every job with its production sinks. */
    public static void build(StreamExecutionEnvironment env, JobSettings settings) throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(settings.parallelism());
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        ElasticsearchSettings es = ElasticsearchSettings.fromEnvironment(settings.elasticsearchUrl());
        try (var transport = ElasticsearchClients.transport(es)) {
            SafePathIndices.install(transport, settings.catalogue());
        }
        RegistrySettings registry = RegistrySettings.fromEnvironment(settings.registryUrl());
        DischargeJob.build(env, settings,
                SafePathElasticsearchSink.create(es, new KafkaRejectedDocumentSink(settings.kafkaBootstrapServers(), registry)),
                deadLetterSink(settings, registry));
    }

    public static KafkaSink<DeadLetterRecord> deadLetterSink(JobSettings settings, RegistrySettings registry) {
        return KafkaSink.<DeadLetterRecord>builder()
                .setBootstrapServers(settings.kafkaBootstrapServers())
                .setRecordSerializer(new DeadLetterSerializationSchema(registry))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
