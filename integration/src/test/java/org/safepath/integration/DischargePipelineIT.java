package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.events.DelayReasonFamily;
import org.safepath.events.DischargeEventType;
import org.safepath.events.DischargePathway;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.PersonIdentifier;
import org.safepath.infra.EmbeddedStack;
import org.safepath.records.DeadLetter;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.KafkaEventPublisher;
import org.safepath.simulator.SimulatedEvent;

/**
 * Five weeks of a simulated council's hospital discharges, plus records that must not be applied, through
 * real Kafka, registry, Flink and Elasticsearch. Every indicator the job wrote is checked against the plain
 * reference, and every input record is accounted for.
 */
class DischargePipelineIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineJobs.miniClusterForBacktests(4);

    private static final String LA = "E06000054";
    private static final String INVALID_NHS = "1234567890";
    /** Other tests write other councils into the same indices: this one looks at its own. */
    private static final String THIS_COUNCIL = "{\"term\":{\"dimensions.local_authority\":\"" + LA + "\"}}";
    /** Its discharge documents: other tests' jobs write other domains' documents for the same council. */
    private static final String ITS_DISCHARGE = "{\"bool\":{\"filter\":[{\"term\":{\"domain\":\"discharge\"}}," + THIS_COUNCIL + "]}}";

    private static EmbeddedStack stack;
    private static JobClient job;
    private static final List<HospitalDischargeEvent> applied = new ArrayList<>();
    private static final List<SimulatedEvent> published = new ArrayList<>();
    private static final Set<String> nhsNumbers = new TreeSet<>();
    private static int recordsSent;
    private static long badEventsAt;

    @BeforeAll
    static void runPipeline() throws Exception {
        stack = SharedStack.get();
        SchemaRegistryClient registry = SharedStack.registry();
        // Ten past the hour before last: the same events (to the minute) whenever the test runs in an hour.
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(50, ChronoUnit.MINUTES);
        List<SimulatedEvent> events = new CouncilSimulator(42, CouncilSimulator.Rates.county())
                .generate(to.minus(35, ChronoUnit.DAYS), to).stream()
                .filter(e -> e.stream() == EventStream.HOSPITAL_DISCHARGE).toList();
        events.forEach(e -> applied.add((HospitalDischargeEvent) e.record()));
        published.addAll(events);
        applied.forEach(e -> nhsNumbers.addAll(People.clearIdentifiers(e.getPerson())));
        long lastEventAt = events.get(events.size() - 1).occurredAt();
        badEventsAt = lastEventAt - 30 * 60_000L;

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(stack.kafkaBootstrapServers(), registry)) {
            publisher.publishAll(events);
            recordsSent = events.size();
            // Records that must be dead-lettered, each with its own reason, and a duplicate to count once.
            String topic = EventStream.HOSPITAL_DISCHARGE.topic();
            KafkaEventPublisher.sendRaw(stack.kafkaBootstrapServers(), topic, "not avro at all".getBytes(StandardCharsets.UTF_8));
            KafkaEventPublisher.sendRaw(stack.kafkaBootstrapServers(), topic,
                    ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array());
            publisher.send(sim(event("bad-nhs", badEventsAt, INVALID_NHS, DischargeEventType.DISCHARGE_READY)));
            HospitalDischargeEvent early = event("discharged-early", badEventsAt, "9434765919", DischargeEventType.DISCHARGED);
            HospitalDischargeEvent readyLater = event("ready-later", badEventsAt + 60 * 60_000L - 40 * 60_000L,
                    "9434765919", DischargeEventType.DISCHARGE_READY);
            publisher.send(sim(early));
            publisher.send(sim(readyLater));
            publisher.send(events.get(events.size() / 2));
            publisher.flush();
            recordsSent += 6;
            applied.add(readyLater);
            nhsNumbers.add("9434765919");
        }

        job = PipelineJobs.start(stack, "discharge-pipeline-it", Map.of("group-prefix", "pipeline-it"));

        // The watermark ends a minute behind the last event; the last hourly tick is the hour before that.
        long lastTick = Math.floorDiv(lastEventAt - 60_000L, 3_600_000L) * 3_600_000L;
        DischargeReference.awaitSettled(stack.elasticsearchUrl(), ITS_DISCHARGE, lastTick, Duration.ofMinutes(5));
    }

    @AfterAll
    static void stopJob() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    void everyCurrentIndicatorEqualsTheReferenceAsOfItsInstant() {
        DischargeReference reference = new DischargeReference(applied);
        List<JsonNode> docs = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.CURRENT,
                "{\"bool\":{\"filter\":[{\"prefix\":{\"indicator\":\"discharge.\"}}," + THIS_COUNCIL + "]}}");
        assertThat(docs).as("3 sites x (4 pathways + all pathways) x 14 values").hasSize(3 * 5 * 14);
        Set<Long> instants = new TreeSet<>();
        for (JsonNode doc : docs) {
            long asOf = Instant.parse(doc.get("as_of").asText()).toEpochMilli();
            instants.add(asOf);
            reference.assertMatches(doc, asOf);
        }
        assertThat(instants).as("values as of several instants").hasSizeGreaterThan(1);
        assertThat(docs.stream().filter(d -> d.get("indicator").asText().equals("discharge.nctr_in_bed"))
                .mapToDouble(d -> d.get("value").asDouble()).sum()).isPositive();
    }

    @Test
    void hourlyHistoryEqualsTheReferenceAtSampledHours() {
        DischargeReference reference = new DischargeReference(applied);
        long first = applied.get(0).getOccurredAt().toEpochMilli();
        List<Long> hours = new ArrayList<>();
        for (int day : new int[]{3, 9, 16, 22, 30}) {
            hours.add(Math.floorDiv(first, 3_600_000L) * 3_600_000L + day * 86_400_000L + 13 * 3_600_000L);
        }
        hours.add(Math.floorDiv(badEventsAt, 3_600_000L) * 3_600_000L - 3_600_000L);
        int compared = 0;
        for (long hour : hours) {
            List<JsonNode> docs = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.HISTORY_ALIAS,
                    "{\"bool\":{\"filter\":[{\"term\":{\"hour\":\"" + Instant.ofEpochMilli(hour) + "\"}}," + ITS_DISCHARGE + "]}}");
            // A site and pathway that has had no episode yet has no documents: then the reference has nothing either.
            Set<String> keysWithDocs = new TreeSet<>();
            docs.forEach(d -> keysWithDocs.add(d.get("dimensions").get("hospital_site").asText() + "/" + d.get("dimensions").get("pathway").asText()));
            assertThat(docs).as("history at %s", Instant.ofEpochMilli(hour)).hasSize(keysWithDocs.size() * 14);
            for (String site : List.of("RNZ02", "RD130", "RN325")) {
                for (String pathway : List.of("P0", "P1", "P2", "P3", "ALL")) {
                    if (!keysWithDocs.contains(site + "/" + pathway)) {
                        assertThat(reference.asOf(hour, LA, site, pathway).values()).as("%s/%s at %s", site, pathway, Instant.ofEpochMilli(hour))
                                .allMatch(v -> v == 0.0);
                    }
                }
            }
            for (JsonNode doc : docs) {
                assertThat(Instant.parse(doc.get("as_of").asText()).toEpochMilli()).isEqualTo(hour);
                reference.assertMatches(doc, hour);
                compared++;
            }
        }
        assertThat(compared).as("documents compared over %d hours", hours.size()).isGreaterThan(hours.size() * 180);
    }

    @Test
    void aBacktestOverTheSameEventsGivesTheStreamingValuesAsOfTheSameInstant(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        long hour = Math.floorDiv(badEventsAt, 3_600_000L) * 3_600_000L - 3 * 3_600_000L;
        Path events = dir.resolve("hospital-discharge.jsonl");
        Files.write(events, published.stream()
                .map(e -> org.safepath.app.files.EventJson.write(e.stream(), (org.apache.avro.generic.GenericRecord) e.record())).toList());
        Path out = dir.resolve("indicators.jsonl");
        org.safepath.app.SafePathFiles.backtest(List.of(events), hour, out);

        Map<String, Double> streamed = new java.util.TreeMap<>();
        for (JsonNode doc : Elastic.search(stack.elasticsearchUrl(), SafePathIndices.HISTORY_ALIAS,
                "{\"bool\":{\"filter\":[{\"term\":{\"hour\":\"" + Instant.ofEpochMilli(hour) + "\"}}," + ITS_DISCHARGE + "]}}")) {
            streamed.put(doc.get("indicator").asText() + " " + doc.get("dimensions"), doc.get("value").asDouble());
        }
        Map<String, Double> backtested = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(doc.get("as_of").asText()).isEqualTo(Instant.ofEpochMilli(hour).toString());
            backtested.put(doc.get("indicator").asText() + " " + doc.get("dimensions"), doc.get("value").asDouble());
        }
        assertThat(backtested).hasSize(210);
        assertThat(backtested).containsExactlyInAnyOrderEntriesOf(streamed);
    }

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndNothingElseIs() throws Exception {
        Map<String, List<DeadLetter>> byReason = DeadLetterTopic.readAll().stream()
                .filter(d -> EventStream.HOSPITAL_DISCHARGE.topic().equals(d.getSourceTopic()))
                .collect(Collectors.groupingBy(d -> d.getReason().name()));
        assertThat(byReason.keySet()).containsExactlyInAnyOrder("UNDECODABLE", "UNKNOWN_SCHEMA", "INVALID_NHS_NUMBER", "OUT_OF_ORDER");
        byReason.values().forEach(list -> assertThat(list).hasSize(1));
        assertThat(byReason.get("UNKNOWN_SCHEMA").get(0).getDetail()).contains("987654");
        assertThat(byReason.get("INVALID_NHS_NUMBER").get(0).getEventId()).isEqualTo("bad-nhs");
        assertThat(byReason.get("OUT_OF_ORDER").get(0).getEventId()).isEqualTo("discharged-early");
        assertThat(byReason.get("OUT_OF_ORDER").get(0).getDetail()).contains("Discharge before readiness");
        for (List<DeadLetter> list : byReason.values()) {
            assertThat(list.get(0).getSourceOffset()).isNotNull();
            assertThat(list.get(0).getSourceTopic()).isEqualTo(EventStream.HOSPITAL_DISCHARGE.topic());
        }
        // Accounting: every record sent is applied once (indicators equal the reference over `applied`),
        // counted once as a duplicate, or dead-lettered.
        long distinctApplied = applied.stream().map(HospitalDischargeEvent::getEventId).distinct().count();
        assertThat(distinctApplied + 1 /* duplicate */ + 4 /* dead letters */).isEqualTo(recordsSent);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

        // Where people look: the readable copies in Elasticsearch count the same, by reason (never the raw bytes).
        List<JsonNode> readable = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.DEAD_LETTERS,
                "{\"term\":{\"source_topic\":\"" + EventStream.HOSPITAL_DISCHARGE.topic() + "\"}}");
        assertThat(readable).extracting(d -> d.get("reason").asText())
                .containsExactlyInAnyOrder("UNDECODABLE", "UNKNOWN_SCHEMA", "INVALID_NHS_NUMBER", "OUT_OF_ORDER");
        assertThat(readable).allSatisfy(d -> assertThat(d.has("raw")).isFalse());
        try (var dashboard = org.safepath.dashboards.DashboardServer.start(0, stack.elasticsearchUrl())) {
            JsonNode counts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard.url() + "api/dead-letters")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            JsonNode discharge = counts.path("streams").path(EventStream.HOSPITAL_DISCHARGE.topic());
            for (String reason : List.of("UNDECODABLE", "UNKNOWN_SCHEMA", "INVALID_NHS_NUMBER", "OUT_OF_ORDER")) {
                assertThat(discharge.path(reason).asLong()).as("dashboard count of %s", reason).isEqualTo(1);
            }
        }
    }

    @Test
    void noPersonIdentifierReachesElasticsearchDeadLetterFieldsOrLogs() throws Exception {
        assertThat(nhsNumbers).hasSizeGreaterThan(100);
        StringBuilder everything = new StringBuilder();
        for (String index : List.of(SafePathIndices.CURRENT, SafePathIndices.HISTORY_ALIAS, SafePathIndices.DEAD_LETTERS)) {
            Elastic.search(stack.elasticsearchUrl(), index, "{\"match_all\":{}}").forEach(d -> everything.append(d).append('\n'));
        }
        for (DeadLetter d : DeadLetterTopic.readAll()) {
            everything.append(d.getDetail()).append(d.getEventId()).append(d.getSourceTopic()).append('\n');
        }
        Path log = Path.of("target/integration-tests.log");
        if (Files.exists(log)) {
            everything.append(Files.readString(log));
        }
        String text = everything.toString();
        assertThat(text).contains("discharge.nctr_in_bed");
        List<String> leaked = nhsNumbers.stream().filter(text::contains).toList();
        leaked = new ArrayList<>(leaked);
        leaked.add(text.contains(INVALID_NHS) ? INVALID_NHS : null);
        leaked.removeIf(java.util.Objects::isNull);
        assertThat(leaked).as("NHS numbers found in Elasticsearch, dead letters or logs").isEmpty();
    }


    private static HospitalDischargeEvent event(String id, long at, String nhs, DischargeEventType type) {
        return HospitalDischargeEvent.newBuilder().setEventId(id).setOccurredAt(Instant.ofEpochMilli(at))
                .setRecordedAt(Instant.ofEpochMilli(at)).setSourceSystem("test").setLocalAuthority(LA)
                .setPerson(PersonIdentifier.newBuilder().setNhsNumber(nhs).setCouncilPersonId(null).build())
                .setEventType(type).setHospitalSite("RNZ02")
                .setPathway(DischargePathway.P1).setDelayReasonFamily(type == DischargeEventType.DISCHARGE_READY ? DelayReasonFamily.CAPACITY : null)
                .build();
    }

    private static SimulatedEvent sim(HospitalDischargeEvent e) {
        return new SimulatedEvent(EventStream.HOSPITAL_DISCHARGE, e.getEventId(), e, e.getOccurredAt().toEpochMilli(), e.getEventId());
    }
}
