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

/** Everything on the dead-letter topic so far, read with the registry like any consumer would. */
final class DeadLetterTopic {
    private DeadLetterTopic() {
    }

    static List<DeadLetter> readAll() {
        Properties props = new Properties();
        props.put("bootstrap.servers", SharedStack.get().kafkaBootstrapServers());
        props.put("group.id", "dead-letter-reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        List<DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EventStream.DEAD_LETTERS.topic()));
            ConfluentAvroDeserializer avro = new ConfluentAvroDeserializer(SharedStack.registry(), DeadLetter.getClassSchema());
            long quietSince = System.nanoTime();
            // Until the topic has been quiet for a few seconds: dead letters may still be on their way.
            while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    GenericRecord g = avro.deserialize(r.topic(), r.value());
                    out.add((DeadLetter) SpecificData.get().deepCopy(DeadLetter.getClassSchema(), g));
                    quietSince = System.nanoTime();
                }
            }
        }
        return out;
    }
}
