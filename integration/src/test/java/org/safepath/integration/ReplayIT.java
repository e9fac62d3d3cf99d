package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safepath.app.SafePathFiles;
import org.safepath.app.files.EventJson;
import org.safepath.connectors.kafka.ConfluentAvroDeserializer;
import org.safepath.events.SafeguardingEvent;
import org.safepath.infra.EmbeddedStack;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

/** Replaying event files puts every event on its topic, in the wire format, in event-time order. */
class ReplayIT {

    @Test
    void everyEventOfTheFilesArrivesOnItsTopicInEventTimeOrder(@TempDir Path dir) throws Exception {
        EmbeddedStack stack = SharedStack.get();
        Instant to = Instant.parse("2026-06-01T00:00:00Z");
        List<SimulatedEvent> events = new CouncilSimulator(11, CouncilSimulator.Rates.county())
                .generate(to.minusSeconds(30 * 86_400L), to).stream().filter(e -> e.stream() == EventStream.SAFEGUARDING).toList();
        // Two files, the later events first: replay must still publish in event-time order.
        int half = events.size() / 2;
        Files.write(dir.resolve("b-early.jsonl"), events.subList(0, half).stream().map(ReplayIT::line).toList());
        Files.write(dir.resolve("a-late.jsonl"), events.subList(half, events.size()).stream().map(ReplayIT::line).toList());

        assertThat(SafePathFiles.replay(List.of(dir), stack.kafkaBootstrapServers(), stack.registryUrl())).isZero();

        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrapServers());
        props.put("group.id", "replay-it");
        props.put("auto.offset.reset", "earliest");
        Map<Integer, List<Long>> timesByPartition = new HashMap<>();
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ConfluentAvroDeserializer(SharedStack.registry(), SafeguardingEvent.getClassSchema()))) {
            consumer.subscribe(List.of(EventStream.SAFEGUARDING.topic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ids.size() < events.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(500))) {
                    ids.add(r.value().get("event_id").toString());
                    timesByPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>())
                            .add(((Instant) r.value().get("occurred_at")).toEpochMilli());
                }
            }
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(events.stream().map(SimulatedEvent::eventId).toList());
        timesByPartition.values().forEach(times -> assertThat(times).isSorted());
    }

    private static String line(SimulatedEvent e) {
        return EventJson.write(e.stream(), (GenericRecord) e.record());
    }
}
