package org.safepath.connectors.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.safepath.connectors.registry.ConfluentWireFormat;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.records.DeadLetterReason;

/**
 * Reads Confluent-wire Avro from Kafka and maps it with an {@link EventReader}. It never throws for a bad
 * record: corrupt bytes, an unknown schema id or an event the reader rejects become a dead letter carrying
 * the reason, the topic/partition/offset and the raw bytes. Only an unreachable registry fails the source,
 * so Flink restarts it from the last checkpoint instead of dead-lettering good records.
 */
public final class ConfluentAvroDeserializationSchema<T> implements KafkaRecordDeserializationSchema<Ingested<T>> {

    private final RegistrySettings registrySettings;
    private final EventReader<T> reader;
    private final TypeInformation<Ingested<T>> producedType;
    private transient ConfluentWireFormat wire;
    private transient Counter deadLettered;

    public ConfluentAvroDeserializationSchema(RegistrySettings registrySettings, EventReader<T> reader,
                                              TypeInformation<Ingested<T>> producedType) {
        this.registrySettings = registrySettings;
        this.reader = reader;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        wire = new ConfluentWireFormat(new SchemaRegistryClient(registrySettings));
        deadLettered = context.getMetricGroup().counter("deadLettered");
        reader.open();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> message, Collector<Ingested<T>> out) {
        ConfluentWireFormat.Decoded decoded = wire.decode(message.value(), reader.readerSchema());
        if (!decoded.ok()) {
            out.collect(reject(message, decoded.failure(), decoded.detail(), null));
            return;
        }
        try {
            T event = reader.read(decoded.record());
            if (event instanceof FromSource tracked) {
                tracked.setSource(message.topic(), message.partition(), message.offset());
            }
            out.collect(Ingested.of(event));
        } catch (RejectedEventException e) {
            out.collect(reject(message, e.reason(), e.getMessage(), reader.eventId(decoded.record())));
        } catch (RuntimeException e) {
            // A reader bug must not stop the pipeline; the record is kept for replay once it is fixed.
            out.collect(reject(message, DeadLetterReason.OTHER, "Event reader failed: " + e.getClass().getSimpleName(),
                    reader.eventId(decoded.record())));
        }
    }

    private Ingested<T> reject(ConsumerRecord<byte[], byte[]> message, DeadLetterReason reason, String detail, String eventId) {
        if (deadLettered != null) {
            deadLettered.inc();
        }
        return Ingested.rejected(DeadLetterRecord.of(reason, detail, message.topic(), message.partition(),
                message.offset(), eventId, message.value()));
    }

    @Override
    public TypeInformation<Ingested<T>> getProducedType() {
        return producedType;
    }
}
