package org.safepath.connectors.kafka;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;

/**
 * A Kafka serializer writing Avro records in the Confluent wire format, registering the schema under the
 * topic's value subject. Configure with {@code schema.registry.url}, as Confluent's own serializer.
 */
public final class ConfluentAvroSerializer implements Serializer<GenericRecord> {

    private ConfluentWireFormat wire;

    public ConfluentAvroSerializer() {
    }

    public ConfluentAvroSerializer(SchemaRegistryClient registry) {
        this.wire = new ConfluentWireFormat(registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (wire == null) {
            Object url = configs.get("schema.registry.url");
            if (url == null) {
                throw new IllegalArgumentException("ConfluentAvroSerializer needs schema.registry.url");
            }
            wire = new ConfluentWireFormat(new SchemaRegistryClient(RegistrySettings.fromEnvironment(url.toString())));
        }
    }

    @Override
    public byte[] serialize(String topic, GenericRecord record) {
        return record == null ? null : wire.serialize(topic + "-value", record);
    }
}
