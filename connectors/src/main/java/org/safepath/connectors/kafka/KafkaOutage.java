package org.safepath.connectors.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.safepath.connectors.config.Durations;
import org.safepath.connectors.config.SafePathEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator is told when Kafka stops answering: the Kafka clients themselves write a warning per client and
 * per reconnection attempt (dozens a second), which says neither what it means nor what to do. This asks the brokers
 * every few seconds and writes one clear line when they stop answering (since when, that SafePath's sources wait and
 * resume from their committed positions, that nothing is lost, what to check), a reminder once a minute while it
 * lasts, and one line when they answer again. One watch per process and cluster, however many operators ask for it;
 * it stops when the last of them lets go (a job's end leaves no thread behind).
 */
public final class KafkaOutage {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutage.class);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Map<String, KafkaOutage> BY_CLUSTER = new HashMap<>();
    static final Duration PROBE_EVERY = Duration.ofSeconds(5);
    static final Duration REMIND_EVERY = Duration.ofMinutes(1);

    private final String bootstrapServers;
    private final KafkaSecurity security;
    private int holders;
    private Thread thread;
    private volatile boolean stopping;
    private long downSince;
    private long remindedAt;

    private KafkaOutage(String bootstrapServers, KafkaSecurity security) {
        this.bootstrapServers = bootstrapServers;
        this.security = security;
    }

    /** Starts watching the cluster (or joins the process's watch of it). Each call is matched by {@link #release}. */
    public static void watch(String bootstrapServers, KafkaSecurity security) {
        synchronized (BY_CLUSTER) {
            KafkaOutage w = BY_CLUSTER.computeIfAbsent(bootstrapServers, b -> new KafkaOutage(b, security));
            if (w.holders++ == 0) {
                w.stopping = false;
                w.thread = new Thread(w::run, "safepath-kafka-watch");
                w.thread.setDaemon(true);
                w.thread.start();
            }
        }
    }

    /** Lets go of a {@link #watch}: the last one stops the watch. */
    public static void release(String bootstrapServers) {
        Thread stopped = null;
        synchronized (BY_CLUSTER) {
            KafkaOutage w = BY_CLUSTER.get(bootstrapServers);
            if (w != null && --w.holders == 0) {
                w.stopping = true;
                stopped = w.thread;
                BY_CLUSTER.remove(bootstrapServers);
            }
        }
        if (stopped != null) {
            stopped.interrupt();
            try {
                stopped.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Properties props = security.asProperties(bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "safepath-kafka-watch");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "1000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(props)) {
            while (!stopping) {
                long started = System.currentTimeMillis();
                String failure = null;
                boolean refused = false;
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000)).nodes().get(6, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    failure = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                    refused = cause instanceof AuthenticationException;
                }
                if (failure == null) {
                    answered(System.currentTimeMillis());
                } else {
                    failed(started, System.currentTimeMillis(), failure, refused);
                }
                try {
                    Thread.sleep(PROBE_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("The Kafka watch of {} stopped: {}", bootstrapServers, e.toString());
        }
    }

    void failed(long since, long now, String cause, boolean refused) {
        if (downSince == 0 && refused) {
            downSince = since;
            remindedAt = now;
            LOG.warn("Kafka at {} refuses SafePath's credentials since {} ({}). Check {} and {}, or the client certificate "
                    + "({}), and that the user may read and write SafePath's topics. The jobs wait and resume from their "
                    + "committed positions once Kafka accepts them: nothing is lost.", bootstrapServers,
                    CLOCK.format(Instant.ofEpochMilli(downSince)), cause, SafePathEnvironment.KAFKA_USERNAME.variable(),
                    SafePathEnvironment.KAFKA_PASSWORD.variable(), SafePathEnvironment.KAFKA_CERTIFICATE.variable());
        } else if (downSince == 0) {
            downSince = since;
            remindedAt = now;
            LOG.warn("Kafka at {} is not answering since {} ({}). SafePath's sources wait and resume from their committed "
                    + "positions when it is back, and what the jobs write to Kafka waits for it: nothing is lost. Check the "
                    + "brokers and the network between them and this process.", bootstrapServers,
                    CLOCK.format(Instant.ofEpochMilli(downSince)), cause);
        } else if (now - remindedAt >= REMIND_EVERY.toMillis()) {
            remindedAt = now;
            LOG.warn("Kafka at {} still not answering after {} ({}); nothing is lost, the jobs resume when it is back.",
                    bootstrapServers, Durations.spoken(Duration.ofMillis(now - downSince)), cause);
        }
    }

    void answered(long now) {
        if (downSince != 0) {
            LOG.warn("Kafka at {} is answering again after {}; the jobs go on from where they were.", bootstrapServers,
                    Durations.spoken(Duration.ofMillis(now - downSince)));
            downSince = 0;
        }
    }

}
