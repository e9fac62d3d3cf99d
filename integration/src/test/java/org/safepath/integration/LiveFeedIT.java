package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.kafka.ConfluentAvroSerializer;
import org.safepath.connectors.kafka.Topics;
import org.safepath.events.DelayReasonFamily;
import org.safepath.events.DischargeEventType;
import org.safepath.events.DischargePathway;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.PersonIdentifier;
import org.safepath.infra.EmbeddedStack;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.runtime.RetainedCheckpoints;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SyntheticCouncil;

/**
 * History fed the way the demo feeds it, into a job that is already running on empty topics: fast, in pauses
 * longer than the source idleness, with one partition quiet while the other goes on; then live events; then a
 * stop, a backlog written while the job is down, and a start from the retained checkpoint; then a stop and a start
 * with nothing new to read. No valid event is
 * dead-lettered, a live event shows within seconds, and every value equals the plain reference over all events
 * (an uninterrupted run, each event once).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveFeedIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** A council of its own, on topics of its own, so nothing here mixes with the other pipeline tests. */
    private static final String LA = "E10000032";
    private static final String PREFIX = "livefeed.";
    private static final String TOPIC = EventStream.HOSPITAL_DISCHARGE.topic(PREFIX);
    private static final Duration IDLENESS = Duration.ofSeconds(5);

    private static EmbeddedStack stack;
    private static KafkaProducer<String, GenericRecord> producer;
    private static final List<HospitalDischargeEvent> sent = new ArrayList<>();
    private static Path checkpoints;
    private static Path key;
    private static JobClient job;
    private static long liveEventAt;

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.get();
        Topics.ensure(stack.kafkaBootstrapServers(), PREFIX, 2, (short) 1);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ConfluentAvroSerializer(SharedStack.registry()));
        checkpoints = Files.createTempDirectory("livefeed-checkpoints");
        key = Files.createTempFile("pseudonym", ".key");
        Files.writeString(key, "live-feed-test-pseudonym-key-0123456789");
        job = startJob();
    }

    @AfterAll
    static void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        producer.close();
    }

    private static JobClient startJob() throws Exception {
        JobSettings settings = JobSettings.fromMap(Map.of(
                "kafka", stack.kafkaBootstrapServers(), "registry", stack.registryUrl(),
                "elasticsearch", stack.elasticsearchUrl(), "pseudonym-key-file", key.toString(),
                "group-prefix", "livefeed-it", "topic-prefix", PREFIX, "parallelism", "2",
                "checkpoint-interval", "PT1S", "source-idleness", IDLENESS.toString()));
        SafePathJobs.prepare(settings);
        Configuration conf = SafePathJobs.flinkConfiguration();
        new RetainedCheckpoints(checkpoints).configure(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SafePathJobs.build(env, settings);
        return env.executeAsync("live-feed-it");
    }

    /** The simulator's discharge events for this council, under ids of their own. */
    private static List<HospitalDischargeEvent> history(Instant from, Instant to) {
        return new CouncilSimulator(7, CouncilSimulator.Rates.county()).generate(from, to).stream()
                .filter(e -> e.stream() == EventStream.HOSPITAL_DISCHARGE)
                .map(e -> HospitalDischargeEvent.newBuilder((HospitalDischargeEvent) e.record())
                        .setEventId("lf-" + e.eventId()).setLocalAuthority(LA).build())
                .toList();
    }

    private static void send(HospitalDischargeEvent e, int partition) {
        producer.send(new ProducerRecord<>(TOPIC, partition, null, e.getEventId(), e));
        sent.add(e);
    }

    private static int partitionOf(HospitalDischargeEvent e) {
        return Math.floorMod(e.getEventId().hashCode(), 2);
    }

    @Test
    @Order(1)
    void historyFedAfterTheJobStartedInPausesAndWithAQuietPartitionIsAppliedAndEqualsTheReference() throws Exception {
        // The job has been running on empty topics for longer than the idleness: the old generator jumped to the clock here.
        Thread.sleep(3 * IDLENESS.toMillis());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<HospitalDischargeEvent> history = history(now.minus(30, ChronoUnit.DAYS), now.minus(2, ChronoUnit.HOURS));
        long day15 = now.minus(15, ChronoUnit.DAYS).toEpochMilli();
        long day5 = now.minus(5, ChronoUnit.DAYS).toEpochMilli();

        for (HospitalDischargeEvent e : history) {
            if (e.getOccurredAt().toEpochMilli() < day15) {
                send(e, partitionOf(e));
            }
        }
        producer.flush();
        Thread.sleep(2 * IDLENESS.toMillis()); // both partitions quiet mid-history
        for (HospitalDischargeEvent e : history) {
            long t = e.getOccurredAt().toEpochMilli();
            if (t >= day15 && t < day5 && partitionOf(e) == 0) {
                send(e, 0);
            }
        }
        producer.flush();
        Thread.sleep(2 * IDLENESS.toMillis()); // partition 1 quiet while partition 0 has gone ten days further
        for (HospitalDischargeEvent e : history) {
            long t = e.getOccurredAt().toEpochMilli();
            if (t >= day15 && (t >= day5 || partitionOf(e) == 1)) {
                send(e, partitionOf(e));
            }
        }
        producer.flush();

        // Time moves on with the clock once the history is read: every key has had its hourly value of the last hour.
        awaitIndicatorsAsOfAtLeast(lastHourlyTick());
        assertNothingDeadLettered();
        assertEveryCurrentValueEqualsTheReference();
    }

    @Test
    @Order(2)
    void aLiveReadinessShowsWithinSecondsBeforeTheWatermarkPassesIt() throws Exception {
        liveEventAt = System.currentTimeMillis();
        HospitalDischargeEvent ready = dischargeEvent("lf-live-ready", liveEventAt, SyntheticCouncil.nhsNumber(new Random(1)), DischargeEventType.DISCHARGE_READY, "RLIVE");
        send(ready, 0);
        producer.flush();
        long published = System.currentTimeMillis();
        // Well before the next minute boundary and the watermark (a minute behind): the early value is written.
        double seen = 0;
        while (System.currentTimeMillis() - published < 20_000 && seen < 1) {
            Thread.sleep(100);
            seen = currentInBed("RLIVE").path("value").asDouble(0);
        }
        long tookMillis = System.currentTimeMillis() - published;
        assertThat(seen).as("people ready for discharge at the new site").isEqualTo(1.0);
        assertThat(tookMillis).as("early result before the watermark (a minute behind) could have passed it").isLessThan(20_000);
    }

    @Test
    @Order(3)
    void aStopABacklogWhileDownAndAStartFromTheRetainedCheckpointCarryOnAsIfUninterrupted() throws Exception {
        awaitExactValueAt("RLIVE", liveEventAt);
        Thread.sleep(3_000); // a checkpoint after the live event
        job.cancel().get();
        job = null;
        assertThat(new RetainedCheckpoints(checkpoints).latest()).as("a retained checkpoint").isPresent();

        // While the job is down: a discharge of the live person, a new readiness, and a duplicate of an old event.
        long now = System.currentTimeMillis();
        send(dischargeEvent("lf-live-discharged", now - 20_000, SyntheticCouncil.nhsNumber(new Random(1)), DischargeEventType.DISCHARGED, "RLIVE"), 1);
        send(dischargeEvent("lf-live-ready-2", now - 10_000, SyntheticCouncil.nhsNumber(new Random(2)), DischargeEventType.DISCHARGE_READY, "RLIVE"), 0);
        HospitalDischargeEvent duplicate = sent.get(sent.size() / 2);
        producer.send(new ProducerRecord<>(TOPIC, 1, null, duplicate.getEventId(), duplicate));
        producer.flush();

        job = startJob();
        awaitExactValueAt("RLIVE", now - 10_000);
        awaitIndicatorsAsOfAtLeast(lastHourlyTick());
        assertNothingDeadLettered();
        assertEveryCurrentValueEqualsTheReference();
        Map<String, Double> live = new DischargeReference(sent).asOf(System.currentTimeMillis(), LA, "RLIVE", "ALL");
        assertThat(live.get("discharge.nctr_in_bed")).as("one discharged, one ready: the reference agrees with the story").isEqualTo(1.0);
    }

    @Test
    @Order(4)
    void aJobRestoredWithNothingNewToReadGoesOnInEventTimeWithoutWaitingForAnEvent() throws Exception {
        // Half a minute ago, so the watermark (a minute behind the clock) has not passed it when the job stops.
        long at = System.currentTimeMillis() - 30_000;
        send(dischargeEvent("lf-quiet-ready", at, SyntheticCouncil.nhsNumber(new Random(3)), DischargeEventType.DISCHARGE_READY, "RQUIET"), 0);
        producer.flush();
        awaitValueAt("RQUIET", 1.0);
        Thread.sleep(3_000); // a checkpoint after the event was read, and before its minute is passed
        job.cancel().get();
        job = null;

        // Nothing new on either partition. Flink does not checkpoint a source's watermarks: restored, the sources knew
        // no event time, and the reading stayed provisional until the next event, however long that took.
        job = startJob();
        awaitExactValueAt("RQUIET", at);
        assertNothingDeadLettered();
        assertEveryCurrentValueEqualsTheReference();
    }

    private static void awaitValueAt(String site, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (currentInBed(site).path("value").asDouble(0) == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No value " + expected + " at " + site);
    }

    private static JsonNode currentInBed(String site) {
        return Elastic.request(stack.elasticsearchUrl(), "POST", "/" + SafePathIndices.CURRENT + "/_search",
                        "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"indicator\":\"discharge.nctr_in_bed\"}},"
                                + "{\"term\":{\"dimensions.hospital_site\":\"" + site + "\"}},{\"term\":{\"dimensions.pathway\":\"ALL\"}}]}}}")
                .path("hits").path("hits").path(0).path("_source");
    }

    private static void assertNothingDeadLettered() {
        assertThat(DeadLetterTopic.readAll()).filteredOn(d -> TOPIC.equals(d.getSourceTopic())).isEmpty();
    }

    private static void assertEveryCurrentValueEqualsTheReference() {
        DischargeReference reference = new DischargeReference(sent);
        List<JsonNode> docs = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.CURRENT,
                "{\"term\":{\"dimensions.local_authority\":\"" + LA + "\"}}");
        assertThat(docs).as("current documents of this council").hasSizeGreaterThan(100);
        for (JsonNode doc : docs) {
            long asOf = Instant.parse(doc.get("as_of").asText()).toEpochMilli();
            JsonNode dims = doc.get("dimensions");
            Map<String, Double> expected = reference.asOf(asOf, LA, dims.get("hospital_site").asText(), dims.get("pathway").asText());
            String id = doc.get("indicator").asText();
            String k = dims.has("delay_reason_family") ? id + ":" + dims.get("delay_reason_family").asText() : id;
            assertThat(doc.get("value").asDouble()).as("%s %s as of %s", k, dims, Instant.ofEpochMilli(asOf))
                    .isCloseTo(expected.get(k), within(1e-6));
        }
    }

    private static long lastHourlyTick() {
        return Math.floorDiv(System.currentTimeMillis() - 70_000, 3_600_000L) * 3_600_000L;
    }

    /** Waits for the exact value (written when the watermark passes the minute after {@code eventAt}) at a site. */
    private static void awaitExactValueAt(String site, long eventAt) throws InterruptedException {
        long step = Math.floorDiv(eventAt + 59_999, 60_000L) * 60_000L;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode doc = currentInBed(site);
            if (doc.has("as_of") && Instant.parse(doc.get("as_of").asText()).toEpochMilli() >= step) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("No exact value at " + site + " as of " + Instant.ofEpochMilli(step));
    }

    /** Waits until every current document of this council is as of at least {@code t} and the index has settled. */
    private static void awaitIndicatorsAsOfAtLeast(long t) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        String last = "";
        int stable = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(2000);
            JsonNode agg = Elastic.request(stack.elasticsearchUrl(), "POST", "/" + SafePathIndices.CURRENT + "/_search",
                    "{\"size\":0,\"query\":{\"term\":{\"dimensions.local_authority\":\"" + LA + "\"}},"
                            + "\"aggs\":{\"min\":{\"min\":{\"field\":\"as_of\"}}}}");
            double min = agg.path("aggregations").path("min").path("value").asDouble(0);
            long provisional = Elastic.count(stack.elasticsearchUrl(), SafePathIndices.CURRENT,
                    "{\"bool\":{\"filter\":[{\"term\":{\"provisional\":true}},{\"term\":{\"dimensions.local_authority\":\"" + LA + "\"}}]}}");
            String now = agg.path("hits").path("total").path("value").asText() + "/" + min;
            // Early values are replaced by exact ones within about a minute: compare exact values only.
            stable = now.equals(last) && min >= t && provisional == 0 ? stable + 1 : 0;
            last = now;
            if (stable >= 2) {
                return;
            }
        }
        throw new AssertionError("Indicators did not reach " + Instant.ofEpochMilli(t) + " (last seen " + last + ")");
    }

    private static HospitalDischargeEvent dischargeEvent(String id, long at, String nhs, DischargeEventType type, String site) {
        return HospitalDischargeEvent.newBuilder().setEventId(id).setOccurredAt(Instant.ofEpochMilli(at))
                .setRecordedAt(Instant.ofEpochMilli(at)).setSourceSystem("test").setLocalAuthority(LA)
                .setPerson(PersonIdentifier.newBuilder().setNhsNumber(nhs).setCouncilPersonId(null).build())
                .setEventType(type).setHospitalSite(site).setPathway(DischargePathway.P1)
                .setDelayReasonFamily(type == DischargeEventType.DISCHARGE_READY ? DelayReasonFamily.CAPACITY : null)
                .build();
    }
}
