package org.safepath.connectors.kafka;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.SchemaRegistryClient;

/**
 * A Kafka deserializer for the Confluent wire format, for tools and tests that read a topic directly.
 * Unlike the Flink source (which dead-letters), it throws on a record it cannot read.
 */
public final class ConfluentAvroDeserializer implements Deserializer<GenericRecord> {

    private final ConfluentWireFormat wire;
    private final Schema readerSchema;

    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this.wire = new ConfluentWireFormat(registry);
        this.readerSchema = readerSchema;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ConfluentWireFormat.Decoded decoded = wire.decode(data, readerSchema);
        if (!decoded.ok()) {
            throw new SerializationException(decoded.failure() + ": " + decoded.detail());
        }
        return decoded.record();
    }
}
