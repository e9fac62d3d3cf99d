package org.safepath.jobs.primitives;

import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.connectors.elasticsearch.DeadLetterDocuments;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.KafkaOutage;
import org.safepath.connectors.kafka.KafkaSecurity;

/**
 * Counts every dead letter where people look: a metric per stream and reason
 * ({@code safepath_dead_letters.<topic>.<REASON>}), and a readable document for the dashboard and the demo's
 * summary. A quarter of a stream dead-lettered can then never go unnoticed. In a live job (the one operator every
 * live job has), it also keeps the process's {@link KafkaOutage} watch: one clear line when Kafka stops answering.
 */
public final class DeadLetterAccounting extends ProcessFunction<DeadLetterRecord, IndexOperation> {

    private final String kafkaToWatch;
    /** Taken where the job is built, as the job's Kafka sources' settings are: a TaskManager's environment may not have it. */
    private final KafkaSecurity security;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> counters;
    private transient boolean watching;

    /** {@code kafkaToWatch}: the bootstrap servers whose outages to report, or null (a backtest reads no Kafka). */
    public DeadLetterAccounting(String kafkaToWatch) {
        this.kafkaToWatch = kafkaToWatch;
        this.security = kafkaToWatch == null ? null : KafkaSecurity.fromEnvironment();
    }

    @Override
    public void open(OpenContext context) {
        metrics = getRuntimeContext().getMetricGroup().addGroup("safepath_dead_letters");
        counters = new HashMap<>();
        if (kafkaToWatch != null) {
            KafkaOutage.watch(kafkaToWatch, security);
            watching = true;
        }
    }

    @Override
    public void close() {
        if (watching) {
            watching = false;
            KafkaOutage.release(kafkaToWatch);
        }
    }

    @Override
    public void processElement(DeadLetterRecord deadLetter, Context ctx, Collector<IndexOperation> out) {
        String stream = deadLetter.sourceTopic == null ? "unknown" : deadLetter.sourceTopic;
        counters.computeIfAbsent(stream + "/" + deadLetter.reason,
                k -> metrics.addGroup(stream).counter(deadLetter.reason.name())).inc();
        out.collect(DeadLetterDocuments.of(deadLetter));
    }
}
