package org.safepath.connectors.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.records.Alert;
import org.safepath.schemas.EventStream;

/** Writes alerts to the alerts topic as Confluent-wire Avro ({@code alert.avsc}), keyed by alert id. */
public final class AlertSerializationSchema implements KafkaRecordSerializationSchema<Alert> {

    private final RegistrySettings registrySettings;
    private final String topic;
    private transient ConfluentWireFormat wire;

    public AlertSerializationSchema(RegistrySettings registrySettings, String topicPrefix) {
        this.registrySettings = registrySettings;
        this.topic = EventStream.ALERTS.topic(topicPrefix);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        wire = new ConfluentWireFormat(new SchemaRegistryClient(registrySettings));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, alert.getAlertId().getBytes(StandardCharsets.UTF_8),
                wire.serialize(EventStream.ALERTS.subject(), alert));
    }
}
