package org.safepath.connectors.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.safepath.schemas.EventStream;

/**
 * Creates SafePath's topics where they are missing: one per stream, the reference data compacted. Every topic
 * stamps records with the time the broker wrote them ({@code LogAppendTime}), so retention runs from when a
 * record arrived, not from when its event happened: history loaded today stays for the topic's whole retention,
 * and the topic/partition/offset a dead letter names still finds its record. Existing topics are brought in line.
 */
public final class Topics {

    static final Map<String, String> STAMPED_ON_WRITE = Map.of("message.timestamp.type", "LogAppendTime");

    private Topics() {
    }

    public static List<String> ensure(String bootstrapServers, int partitions, short replication) {
        return ensure(bootstrapServers, EventStream.DEFAULT_TOPIC_PREFIX, partitions, replication);
    }

    /**
     * Waits until every partition of new topics has a leader. A producer that writes to a partition whose leader is
     * still being elected can be told {@code NOT_LEADER_OR_FOLLOWER} for a batch the broker did append; its retry is
     * then refused as out of sequence until the delivery timeout fails the batches behind it.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean led;
            try {
                led = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                led = false; // created, but not yet in the metadata this broker answers from
            }
            if (led) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the new topics' partitions have no leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** The same under another topic prefix (see {@link EventStream#topic(String)}). */
    public static List<String> ensure(String bootstrapServers, String prefix, int partitions, short replication) {
        Properties props = KafkaSecurity.clientProperties(bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (EventStream s : EventStream.values()) {
                if (!existing.contains(s.topic(prefix))) {
                    NewTopic t = new NewTopic(s.topic(prefix), partitions, replication);
                    Map<String, String> configs = new java.util.HashMap<>(STAMPED_ON_WRITE);
                    if (s.compacted()) {
                        configs.put("cleanup.policy", "compact");
                    }
                    t.configs(configs);
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
            Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> alter =
                    new java.util.HashMap<>();
            for (EventStream s : EventStream.values()) {
                if (existing.contains(s.topic(prefix))) {
                    alter.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, s.topic(prefix)),
                            STAMPED_ON_WRITE.entrySet().stream().map(e -> new org.apache.kafka.clients.admin.AlterConfigOp(
                                    new org.apache.kafka.clients.admin.ConfigEntry(e.getKey(), e.getValue()),
                                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)).toList());
                }
            }
            if (!alter.isEmpty()) {
                admin.incrementalAlterConfigs(alter).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s. Is it running? "
                    + "Set --kafka or SAFEPATH_KAFKA.", e);
        } catch (ExecutionException e) {
            String refusal = KafkaSecurity.refusal(e);
            if (refusal != null) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + ": " + refusal, e);
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within 30 s. Is it running? "
                        + "Set --kafka or SAFEPATH_KAFKA.", e);
            }
            throw new IllegalStateException("Kafka at " + bootstrapServers + " refused to create topics: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
