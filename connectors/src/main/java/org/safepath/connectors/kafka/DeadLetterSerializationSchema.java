package org.safepath.connectors.kafka;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.schemas.EventStream;

/** Writes dead letters to the dead-letter topic as Confluent-wire Avro ({@code dead-letter.avsc}). */
public final class DeadLetterSerializationSchema implements KafkaRecordSerializationSchema<DeadLetterRecord> {

    private final RegistrySettings registrySettings;
    private transient ConfluentWireFormat wire;

    public DeadLetterSerializationSchema(RegistrySettings registrySettings) {
        this.registrySettings = registrySettings;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        wire = new ConfluentWireFormat(new SchemaRegistryClient(registrySettings));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetterRecord deadLetter, KafkaSinkContext context, Long timestamp) {
        EventStream topic = EventStream.DEAD_LETTERS;
        byte[] key = deadLetter.sourceTopic == null ? null
                : (deadLetter.sourceTopic + "/" + deadLetter.sourcePartition + "@" + deadLetter.sourceOffset).getBytes();
        return new ProducerRecord<>(topic.topic(), key, wire.serialize(topic.subject(), deadLetter.toAvro()));
    }
}
