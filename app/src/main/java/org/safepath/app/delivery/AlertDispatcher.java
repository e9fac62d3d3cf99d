package org.safepath.app.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.safepath.connectors.kafka.ConfluentAvroDeserializer;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.records.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the alerts topic and delivers each alert to its routes: email and Teams/Slack webhooks.
 *
 * <p><b>Once.</b> Before each send the delivery log is read, and a delivery it records as sent is not sent again.
 * The consumer's position is committed only up to the first alert with a delivery not yet sent, so after a crash or
 * a restart the dispatcher reads again from there and sends only what the log does not hold as sent. The one window
 * that can still repeat a message: the far end accepted it and the process died before the log recorded it; the
 * email then goes again with the same {@code Message-ID}, the webhook's message is posted twice.
 *
 * <p><b>Never lost, never blocking.</b> A failed attempt is retried with capped exponential backoff, scheduled
 * rather than waited for, on that channel's own threads: a failing channel holds up neither the others nor other
 * alerts. A delivery failing for longer than {@code overdueAfter} is flagged {@code overdue} in the log (and said in
 * one line) and still retried; nothing is dropped.
 */
public final class AlertDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    /** How retries and flags are timed. */
    public record Timing(Duration firstRetry, Duration maxRetry, Duration overdueAfter) {
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));
        }
    }

    private final String bootstrap;
    private final String topic;
    private final String groupId;
    private final ConfluentAvroDeserializer avro;
    private final DeliveryLog log;
    private final Routes routes;
    private final Map<String, Channel> channels;
    private final String dashboardUrl;
    private final Timing timing;
    private final Map<String, ScheduledExecutorService> workers = new HashMap<>();
    /** Per partition: offsets read, and how many of each one's deliveries are not yet done. */
    private final Map<TopicPartition, ConcurrentSkipListMap<Long, AtomicInteger>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    /**
     * Deliveries being attempted now, by id. The jobs write alerts at least once, so after a job restart the same
     * alert can be on the topic twice, a few offsets apart; its second copy waits for the first to finish and then
     * finds it sent in the log, instead of both checking the log before either has recorded a send.
     */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public AlertDispatcher(String bootstrap, String topic, String groupId, SchemaRegistryClient registry, DeliveryLog log,
                           Routes routes, List<Channel> channels, String dashboardUrl, Timing timing) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.groupId = groupId;
        this.avro = new ConfluentAvroDeserializer(registry, Alert.getClassSchema());
        this.log = log;
        this.routes = routes;
        this.channels = new HashMap<>();
        for (Channel c : channels) {
            this.channels.put(c.name(), c);
            workers.put(c.name(), new java.util.concurrent.ScheduledThreadPoolExecutor(2, r -> {
                Thread t = new Thread(r, "deliver-" + c.name());
                t.setDaemon(true);
                return t;
            }));
        }
        this.dashboardUrl = dashboardUrl;
        this.timing = timing;
    }

    /** Deliveries sent (and recorded) by this process so far. */
    public int sentCount() {
        return sent.get();
    }

    /** Reads and delivers until {@code stop} is set; commits the position of what is done as it goes. */
    public void run(AtomicBoolean stop) throws Exception {
        log.ensureIndex();
        Properties p = org.safepath.connectors.kafka.KafkaSecurity.clientProperties(bootstrap);
        p.put("group.id", groupId);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", "200");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(r);
                }
                commit(consumer);
            }
            commit(consumer);
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        AtomicInteger remaining = new AtomicInteger();
        pending.computeIfAbsent(tp, k -> new ConcurrentSkipListMap<>()).put(r.offset(), remaining);
        Alert a;
        try {
            a = toAlert(avro.deserialize(r.topic(), r.value()));
        } catch (RuntimeException | java.io.IOException e) {
            LOG.error("Alert at {}-{} offset {} cannot be read ({}); it stays on the topic for replay", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return;
        }
        AlertMessage message = AlertMessages.of(a, dashboardUrl);
        List<Route> to = routes.of(a);
        if (to.isEmpty()) {
            LOG.warn("Alert {} ({} to {}) has no route configured: set delivery.route.{}.email (or .teams/.slack)", a.getAlertId(),
                    a.getRule(), a.getAudience(), a.getAudience());
        }
        for (Route route : to) {
            Channel channel = channels.get(route.channel());
            if (channel == null) {
                LOG.warn("Alert {} is routed to {} but no {} channel is configured", a.getAlertId(), route, route.channel());
                continue;
            }
            remaining.incrementAndGet();
            Attempt attempt = new Attempt(a, message, route, channel, remaining, Instant.now());
            workers.get(route.channel()).execute(attempt);
        }
    }

    /** The decoded record as the generated class (its strings as Java strings). */
    static Alert toAlert(org.apache.avro.generic.GenericRecord g) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder out = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        org.apache.avro.generic.GenericData withTimes = new org.apache.avro.generic.GenericData();
        withTimes.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(g.getSchema(), withTimes).write(g, out);
        out.flush();
        return new org.apache.avro.specific.SpecificDatumReader<Alert>(g.getSchema(), Alert.getClassSchema())
                .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((tp, offsets0) -> {
            Long next = null;
            while (!offsets0.isEmpty() && offsets0.firstEntry().getValue().get() == 0) {
                next = offsets0.pollFirstEntry().getKey() + 1;
            }
            if (next != null) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    /** One delivery: check the log, send, record; on failure, record and try again later. */
    private final class Attempt implements Runnable {
        final Alert alert;
        final AlertMessage message;
        final Route route;
        final Channel channel;
        final AtomicInteger remaining;
        final Instant first;
        final String id;
        int attempts;
        boolean delivered;
        boolean flagged;
        boolean owner;

        Attempt(Alert alert, AlertMessage message, Route route, Channel channel, AtomicInteger remaining, Instant first) {
            this.alert = alert;
            this.message = message;
            this.route = route;
            this.channel = channel;
            this.remaining = remaining;
            this.first = first;
            this.id = DeliveryLog.id(message.alertId(), route);
        }

        @Override
        public void run() {
            if (!owner) {
                owner = inFlight.add(id);
                if (!owner) {
                    // Another copy of this alert is being delivered: look again once it has had time to finish.
                    workers.get(route.channel()).schedule(this, timing.firstRetry().toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            }
            try {
                if (!delivered) {
                    if (log.wasSent(id)) {
                        done();
                        return;
                    }
                    attempts++;
                    try {
                        channel.send(message, route);
                        delivered = true;
                    } catch (Exception e) {
                        failed(e);
                        return;
                    }
                }
                log.record(id, message, alert, route, "sent", attempts, first, Instant.now(), false, null);
                sent.incrementAndGet();
                if (flagged) {
                    LOG.info("Alert {} delivered by {} to {} after {} attempts", message.alertId(), route.channel(), route.label(), attempts);
                }
                done();
            } catch (Exception e) {
                // The log could not be read or written: nothing is sent (or counted as sent) without it. Try again.
                LOG.warn("Delivery log at {} not answering ({}); alert {} by {} waits for it", DeliveryLog.INDEX, e.getMessage(),
                        message.alertId(), route.channel());
                later();
            }
        }

        private void failed(Exception e) {
            Instant now = Instant.now();
            boolean overdue = Duration.between(first, now).compareTo(timing.overdueAfter()) >= 0;
            if (overdue && !flagged) {
                flagged = true;
                LOG.error("Alert {} ({}) has not reached {} {} for {}: {}. Still retrying; it is flagged overdue in {}",
                        message.alertId(), alert.getRule(), route.channel(), route.label(), Duration.between(first, now), e.getMessage(),
                        DeliveryLog.INDEX);
            } else if (attempts == 1) {
                LOG.warn("Alert {} could not be delivered by {} to {}: {}. Retrying with backoff", message.alertId(), route.channel(),
                        route.label(), e.getMessage());
            }
            try {
                log.record(id, message, alert, route, overdue ? "overdue" : "retrying", attempts, first, now, overdue, e.getMessage());
            } catch (Exception logDown) {
                LOG.debug("delivery log not written", logDown);
            }
            later();
        }

        private void later() {
            long backoff = Math.min(timing.maxRetry().toMillis(), timing.firstRetry().toMillis() << Math.min(20, Math.max(0, attempts - 1)));
            workers.get(route.channel()).schedule(this, backoff, TimeUnit.MILLISECONDS);
        }

        private void done() {
            inFlight.remove(id);
            remaining.decrementAndGet();
        }
    }

    /**
     * Stops delivering: deliveries not yet started and retries not yet due are dropped (their alerts are read again
     * from the committed position by the next dispatcher), and attempts under way are let finish, so no send or log write is cut off half-way (an
     * interrupted request can also leave the Elasticsearch client's connection pool one connection short).
     */
    @Override
    public void close() {
        for (ScheduledExecutorService w : workers.values()) {
            w.shutdown();
            // Deliveries not yet started (queued, or a retry not yet due) are left to the next dispatcher.
            ((java.util.concurrent.ScheduledThreadPoolExecutor) w).getQueue().clear();
        }
        for (ScheduledExecutorService w : workers.values()) {
            try {
                if (!w.awaitTermination(30, TimeUnit.SECONDS)) {
                    w.shutdownNow();
                }
            } catch (InterruptedException e) {
                w.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        channels.values().forEach(Channel::close);
    }
}
