package org.safepath.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.safepath.connectors.kafka.ConfluentAvroDeserializer;
import org.safepath.records.DeadLetter;
import org.safepath.schemas.EventStream;

/** Everything on the dead-letter topic (or another Avro topic) so far, read with the registry like any consumer would. */
final class DeadLetterTopic {
    private DeadLetterTopic() {
    }

    static List<DeadLetter> readAll() {
        List<DeadLetter> out = new ArrayList<>();
        for (GenericRecord g : records(EventStream.DEAD_LETTERS.topic(), DeadLetter.getClassSchema())) {
            out.add((DeadLetter) SpecificData.get().deepCopy(DeadLetter.getClassSchema(), g));
        }
        return out;
    }

    /** Every record of an Avro topic, decoded to the given reader schema. */
    static List<GenericRecord> records(String topic, org.apache.avro.Schema schema) {
        Properties props = new Properties();
        props.put("bootstrap.servers", SharedStack.get().kafkaBootstrapServers());
        props.put("group.id", "dead-letter-reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        List<GenericRecord> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConfluentAvroDeserializer avro = new ConfluentAvroDeserializer(SharedStack.registry(), schema);
            long quietSince = System.nanoTime();
            // Until the topic has been quiet for a few seconds: records may still be on their way.
            while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(avro.deserialize(r.topic(), r.value()));
                    quietSince = System.nanoTime();
                }
            }
        }
        return out;
    }
}
