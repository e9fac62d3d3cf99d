package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safepath.connectors.kafka.ConfluentAvroDeserializer;
import org.safepath.connectors.kafka.ConfluentAvroSerializer;
import org.safepath.connectors.registry.RegistryException;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.connectors.registry.SchemaSubjects;
import org.safepath.events.DelayReasonFamily;
import org.safepath.events.DischargeEventType;
import org.safepath.events.DischargePathway;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.PersonIdentifier;
import org.safepath.infra.EmbeddedStack;
import org.safepath.schemas.EventStream;

/** The registry contract and the wire format, proven against the running registry and an independent client. */
class SchemaRegistryCompatibilityIT {

    private static EmbeddedStack stack;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void stack() {
        stack = SharedStack.get();
        registry = SharedStack.registry();
    }

    @Test
    void everyStreamIsRegisteredWithBackwardCompatibilitySetExplicitly() {
        for (EventStream s : EventStream.values()) {
            assertThat(registry.latest(s.subject())).as(s.subject()).isPresent();
            assertThat(registry.compatibility(s.subject())).as(s.subject()).contains(SchemaSubjects.COMPATIBILITY);
        }
    }

    @Test
    void aNewOptionalFieldIsAcceptedAndANewRequiredFieldIsRejected() {
        String subject = EventStream.HOSPITAL_DISCHARGE.subject();
        int before = registry.latest(subject).orElseThrow().version();

        Schema withOptional = evolve(EventStream.HOSPITAL_DISCHARGE.schema(),
                "{\"name\":\"ward\",\"type\":[\"null\",\"string\"],\"default\":null}");
        assertThat(registry.isCompatible(subject, withOptional)).isTrue();
        registry.register(subject, withOptional);
        assertThat(registry.latest(subject).orElseThrow().version()).isEqualTo(before + 1);

        Schema withRequired = evolve(withOptional, "{\"name\":\"bed_number\",\"type\":\"string\"}");
        assertThat(registry.isCompatible(subject, withRequired)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, withRequired))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(409));
    }

    @Test
    void anUnknownSubjectIsEmptyNotAnError() {
        assertThat(registry.latest("no-such-subject-value")).isEmpty();
    }

    @Test
    void recordsWrittenByOurSerializerAreReadByTheConfluentPythonClient() throws Exception {
        String topic = "compat-java-to-python";
        createTopic(topic);
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrapServers());
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ConfluentAvroSerializer(registry))) {
            producer.send(new ProducerRecord<>(topic, "k", dischargeReady("java-1"))).get(30, TimeUnit.SECONDS);
        }
        List<String> lines = python("consume", stack.kafkaBootstrapServers(), registry.url(), topic, "1");
        JsonNode read = new ObjectMapper().readTree(lines.get(0));
        assertThat(read.get("event_id").asText()).isEqualTo("java-1");
        assertThat(read.get("event_type").asText()).isEqualTo("DISCHARGE_READY");
        assertThat(read.get("pathway").asText()).isEqualTo("P3");
        assertThat(read.get("delay_reason_family").asText()).isEqualTo("CAPACITY");
        assertThat(read.get("occurred_at").asText()).startsWith("2026-03-01 09:30:00");
    }

    @Test
    void recordsWrittenByTheConfluentPythonClientAreReadByOurDeserializer() throws Exception {
        String topic = "compat-python-to-java";
        createTopic(topic);
        Path schema = Files.createTempFile("hospital-discharge", ".avsc");
        Files.writeString(schema, EventStream.HOSPITAL_DISCHARGE.schema().toString());
        python("produce", stack.kafkaBootstrapServers(), registry.url(), topic, schema.toString(), "python-1");

        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrapServers());
        props.put("group.id", "java-compat");
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ConfluentAvroDeserializer(registry, HospitalDischargeEvent.getClassSchema()))) {
            consumer.subscribe(List.of(topic));
            List<GenericRecord> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(500))) {
                    read.add(r.value());
                }
            }
            assertThat(read).hasSize(1);
            GenericRecord r = read.get(0);
            assertThat(r.get("event_id").toString()).isEqualTo("python-1");
            assertThat(r.get("event_type").toString()).isEqualTo("DISCHARGE_READY");
            assertThat(r.get("hospital_site").toString()).isEqualTo("RNZ02");
            assertThat(((GenericRecord) r.get("person")).get("nhs_number").toString()).isEqualTo("9434765919");
            assertThat(r.get("occurred_at")).isEqualTo(Instant.parse("2026-03-01T09:30:00Z"));
        }
    }

    private static HospitalDischargeEvent dischargeReady(String id) {
        Instant at = Instant.parse("2026-03-01T09:30:00Z");
        return HospitalDischargeEvent.newBuilder().setEventId(id).setOccurredAt(at).setRecordedAt(at)
                .setSourceSystem("test").setLocalAuthority("E06000054")
                .setPerson(PersonIdentifier.newBuilder().setNhsNumber("9434765919").setCouncilPersonId(null).build())
                .setEventType(DischargeEventType.DISCHARGE_READY).setHospitalSite("RNZ02")
                .setPathway(DischargePathway.P3).setDelayReasonFamily(DelayReasonFamily.CAPACITY).build();
    }

    private static Schema evolve(Schema schema, String newField) {
        String json = schema.toString();
        return new Schema.Parser().parse(json.substring(0, json.lastIndexOf(']')) + "," + newField + "]}");
    }

    private static void createTopic(String topic) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", stack.kafkaBootstrapServers());
        try (Admin admin = Admin.create(props)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs the independent client with the system Python, where Debian installs python3-confluent-kafka. */
    static List<String> python(String... args) throws Exception {
        Path script = Path.of(SchemaRegistryCompatibilityIT.class.getResource("/confluent_client.py").toURI());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python client failed: %s", err).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
