package org.safepath.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.safepath.connectors.kafka.KafkaSecurity;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.safepath.connectors.kafka.ConfluentAvroSerializer;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.schemas.EventStream;

/**
 * Publishes simulated events to their Kafka topics in the Confluent wire format, paced so that simulated
 * time runs {@code speed} times faster than the clock but never ahead of it (an event is never sent before
 * the moment it happened: it would be rejected as a future timestamp).
 */
public final class KafkaEventPublisher implements AutoCloseable {

    private final String topicPrefix;

    private final KafkaProducer<String, GenericRecord> producer;
    /** Sends Kafka refused (after its own retries), and the first reason: a flush reports them. */
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<Exception> firstRefusal = new java.util.concurrent.atomic.AtomicReference<>();

    public KafkaEventPublisher(String bootstrapServers, SchemaRegistryClient registry) {
        this(bootstrapServers, registry, EventStream.DEFAULT_TOPIC_PREFIX);
    }

    /** Publishes to the topics under another prefix (several councils or test runs side by side on one cluster). */
    public KafkaEventPublisher(String bootstrapServers, SchemaRegistryClient registry, String topicPrefix) {
        this.topicPrefix = topicPrefix;
        Properties props = KafkaSecurity.clientProperties(bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "safepath-simulator");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ConfluentAvroSerializer(registry));
    }

    /** Sends all events as fast as Kafka takes them, then waits until every one is acknowledged. */
    public void publishAll(List<SimulatedEvent> events) {
        for (SimulatedEvent e : events) {
            send(e);
        }
        flush();
    }

    /**
     * Sends events paced: simulated time starts at the first event and runs {@code speed} times the clock,
     * capped by the clock itself. Returns when all are sent or {@code stop} says so.
     */
    public int publishPaced(List<SimulatedEvent> events, double speed, LongSupplier clock, java.util.function.BooleanSupplier stop)
            throws InterruptedException {
        return publishPaced(events, speed, clock, stop, acknowledged -> { });
    }

    /** As above; {@code acknowledged} hears, after each flush, how many of the events Kafka has acknowledged so far. */
    public int publishPaced(List<SimulatedEvent> events, double speed, LongSupplier clock, java.util.function.BooleanSupplier stop,
                            java.util.function.IntConsumer acknowledged) throws InterruptedException {
        if (events.isEmpty()) {
            return 0;
        }
        long simStart = events.get(0).occurredAt();
        long wallStart = clock.getAsLong();
        int sent = 0;
        for (SimulatedEvent e : events) {
            if (stop.getAsBoolean()) {
                break;
            }
            long due = wallStart + (long) ((e.occurredAt() - simStart) / speed);
            long wait = Math.max(due, e.occurredAt()) - clock.getAsLong();
            if (wait > 0) {
                flush();
                acknowledged.accept(sent);
                Thread.sleep(Math.min(wait, 1000));
                while (clock.getAsLong() < Math.max(due, e.occurredAt()) && !stop.getAsBoolean()) {
                    Thread.sleep(Math.min(200, Math.max(1, Math.max(due, e.occurredAt()) - clock.getAsLong())));
                }
                if (stop.getAsBoolean()) {
                    break;
                }
            }
            send(e);
            sent++;
        }
        flush();
        acknowledged.accept(sent);
        return sent;
    }

    public void send(SimulatedEvent e) {
        send(e, (GenericRecord) e.record());
    }

    /**
     * Sends a record (generic or specific) to the event's stream, timestamped with its event time. Once Kafka has
     * refused one (after its own retries), sending stops with the reason: every further send would wait and fail alike.
     */
    public void send(SimulatedEvent e, GenericRecord record) {
        if (firstRefusal.get() != null) {
            throw refusedException();
        }
        producer.send(new ProducerRecord<>(e.stream().topic(topicPrefix), null, e.occurredAt(), e.key(), record), (metadata, error) -> {
            if (error != null) {
                refused.incrementAndGet();
                firstRefusal.compareAndSet(null, error);
            }
        });
    }

    /** Waits until every event sent is acknowledged; fails if Kafka refused any of them, so none is lost unnoticed. */
    public void flush() {
        producer.flush();
        int n = refused.get();
        if (n > 0) {
            throw refusedException();
        }
    }

    private IllegalStateException refusedException() {
        Exception first = firstRefusal.get();
        String refusal = KafkaSecurity.refusal(first);
        return new IllegalStateException("Kafka did not take " + refused.get() + " event(s): "
                + (refusal != null ? refusal : first.getMessage()), first);
    }

    /** Sends bytes as they are: for tests that put corrupt or foreign records on a topic. */
    public static void sendRaw(String bootstrapServers, String topic, byte[] value) {
        Properties props = KafkaSecurity.clientProperties(bootstrapServers);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not take the record: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
