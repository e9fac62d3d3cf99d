package org.safepath.connectors.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.connectors.kafka.KafkaSecurity;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.records.DeadLetterReason;
import org.safepath.schemas.EventStream;

/** Sends documents Elasticsearch rejected to the dead-letter topic, with Elasticsearch's reason. */
public final class KafkaRejectedDocumentSink implements RejectedDocumentSink {

    private final String bootstrapServers;
    private final RegistrySettings registrySettings;
    /** Taken where the job is built: a TaskManager's environment may not have it. */
    private final KafkaSecurity security;
    private transient KafkaProducer<byte[], byte[]> producer;
    private transient ConfluentWireFormat wire;

    public KafkaRejectedDocumentSink(String bootstrapServers, RegistrySettings registrySettings) {
        this.bootstrapServers = bootstrapServers;
        this.registrySettings = registrySettings;
        this.security = KafkaSecurity.fromEnvironment();
    }

    @Override
    public void open() {
        Properties props = security.asProperties(bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "safepath-es-rejects");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        wire = new ConfluentWireFormat(new SchemaRegistryClient(registrySettings));
    }

    @Override
    public void reject(IndexOperation operation, int status, String reason) throws Exception {
        DeadLetterRecord deadLetter = DeadLetterRecord.of(DeadLetterReason.REJECTED_BY_ELASTICSEARCH,
                "Elasticsearch answered " + status + " for " + operation.index() + "/" + operation.id() + ": " + reason,
                null, null, null, operation.id(), operation.source());
        EventStream topic = EventStream.DEAD_LETTERS;
        byte[] value = wire.serialize(topic.subject(), deadLetter.toAvro());
        producer.send(new ProducerRecord<>(topic.topic(), operation.id().getBytes(StandardCharsets.UTF_8), value))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
