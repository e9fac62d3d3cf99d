package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.kafka.ConfluentAvroSerializer;
import org.safepath.connectors.kafka.KafkaSecurity;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.infra.EmbeddedStack;
import org.safepath.infra.StackSecurity;
import org.safepath.records.Alert;
import org.safepath.records.AlertSeverity;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

/**
 * SafePath on services secured as a council's are: Kafka with TLS and SCRAM, and with mutual TLS; Elasticsearch with
 * security and HTTPS, reached as a user; the schema registry over HTTPS only. The certificates
 * come from a CA the test makes. Every command runs as its own {@code safepath} process configured by the environment
 * alone, each secret from a file, as a platform team runs it, and logging at INFO, so that a secret printed anywhere
 * would be seen.
 *
 * <p>Not here: an Elasticsearch API key. Making one needs the {@code .security} index, whose mapping uses an analysis
 * filter ({@code pattern_capture}) of a module the test distribution does not ship; SafePath sends a key as
 * {@code Authorization: ApiKey ...}, as Elastic documents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredConnectionsIT {

    private static final Path DIR = Path.of("target", "secured").toAbsolutePath();
    private static final String ES_USER = "safepath-admin";
    private static final String KAFKA_USER = "safepath-job";
    private static final String KAFKA_PASSWORD = "kafka-" + UUID.randomUUID();
    private static final String ES_PASSWORD = "es-" + UUID.randomUUID();
    private static final String ALL_DISCHARGE = "{\"term\":{\"domain\":\"discharge\"}}";

    private static EmbeddedStack stack;
    private static TestCertificates certs;
    private static final List<Path> outputs = new ArrayList<>();
    private static final List<Process> running = new ArrayList<>();
    private static final List<String> posted = new CopyOnWriteArrayList<>();
    private static HttpServer webhooks;

    @BeforeAll
    static void startTheSecuredStack() throws Exception {
        if (Files.exists(DIR)) {
            try (var old = Files.walk(DIR)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        certs = TestCertificates.generate(DIR.resolve("certs"));
        stack = EmbeddedStack.startSecured(DIR.resolve("stack"), new StackSecurity(certs.ca(), certs.serverCertificate(),
                certs.serverKey(), KAFKA_USER, KAFKA_PASSWORD, ES_USER, ES_PASSWORD));
        Elastic.secured(stack.elasticsearchUrl(), certs.ca(), ES_USER, ES_PASSWORD);
        Files.writeString(DIR.resolve("kafka-password"), KAFKA_PASSWORD + "\n");
        Files.writeString(DIR.resolve("es-password"), ES_PASSWORD + "\n");
        Files.writeString(DIR.resolve("pseudonym-key"), PipelineJobs.PSEUDONYM_KEY);
        webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhooks.createContext("/teams", ex -> {
            posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        webhooks.start();
    }

    @AfterAll
    static void stopEverything() {
        running.forEach(Process::destroyForcibly);
        if (webhooks != null) {
            webhooks.stop(0);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theJobTheDispatcherTheDashboardAndTheCommandsWorkOverTlsWithCredentialsFromFiles() throws Exception {
        assertThat(safepath("init", scram(esUser()))).as("init: topics over SCRAM, schemas over HTTPS, templates as a user")
                .contains("Index templates installed");

        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(50, ChronoUnit.MINUTES);
        assertThat(safepath("simulate", scram(new HashMap<>()), "--days", "7", "--seed", "5", "--until", to.toString()))
                .contains("Published");
        List<HospitalDischargeEvent> discharges = new ArrayList<>();
        long lastEventAt = 0;
        for (SimulatedEvent e : new CouncilSimulator(5, CouncilSimulator.Rates.county()).generate(to.minus(7, ChronoUnit.DAYS), to)) {
            if (e.record() instanceof HospitalDischargeEvent d) {
                discharges.add(d);
            }
            lastEventAt = Math.max(lastEventAt, e.occurredAt());
        }

        // The job reads and writes Kafka with a client certificate.
        Process job = start("job", mutualTls(esUser()), "run", "--parallelism", "1", "--checkpoint-interval", "2s",
                "--data-dir", DIR.resolve("run").toString());
        long lastTick = Math.floorDiv(lastEventAt - 60_000L, 3_600_000L) * 3_600_000L;
        DischargeReference.awaitSettled(stack.elasticsearchUrl(), ALL_DISCHARGE, lastTick, Duration.ofMinutes(6));
        assertThat(job.isAlive()).as("the job runs on; its output: %s", SafePathProcess.tail(outputs.get(outputs.size() - 1))).isTrue();

        DischargeReference reference = new DischargeReference(discharges);
        List<JsonNode> docs = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.CURRENT, ALL_DISCHARGE);
        assertThat(docs).as("3 sites x (4 pathways + all pathways) x 14 values").hasSize(3 * 5 * 14);
        docs.forEach(doc -> reference.assertMatches(doc, Instant.parse(doc.get("as_of").asText()).toEpochMilli()));
        assertThat(Elastic.count(stack.elasticsearchUrl(), SafePathIndices.DEAD_LETTERS, "{\"match_all\":{}}"))
                .as("every record applied, none dead-lettered").isZero();

        // A performance team's query, as the Elasticsearch user.
        String csv = safepath("query", esUser(), "--indicator", "discharge.nctr_in_bed", "--format", "csv");
        List<String> rows = docs.stream().filter(d -> d.get("indicator").asText().equals("discharge.nctr_in_bed"))
                .map(d -> String.join(",", d.at("/dimensions/local_authority").asText(), d.at("/dimensions/hospital_site").asText(),
                        d.at("/dimensions/pathway").asText(), String.valueOf(d.get("value").asLong())))
                .toList();
        assertThat(rows).as("3 sites x (4 pathways + all)").hasSize(15);
        // Columns: indicator, title, council and its name, site and its name, pathway, value.
        assertThat(csv.lines().filter(l -> l.startsWith("discharge.nctr_in_bed,")).map(l -> l.split(",", -1))
                .map(c -> String.join(",", c[2], c[4], c[6], c[7])))
                .as("the query's rows (council, site, pathway, value)").containsExactlyInAnyOrderElementsOf(rows);

        // The dashboard: the browser never sees the credentials; the page's API answers from the secured cluster.
        assertThat(dashboardAnswer(esUser())).startsWith("200").contains("RD130");

        // The dispatcher reads the alerts topic with the client certificate and delivers to the council's Teams webhook.
        Alert alert = Alert.newBuilder().setAlertId("secured-" + UUID.randomUUID()).setRule("safeguarding.care_home_theme")
                .setSeverity(AlertSeverity.HIGH).setSubjectKind("cqc_location").setSubjectId("1-000000001")
                .setSubjectName("Test House").setAudience("market_oversight").setRecipient(null)
                .setEvidenceCounts(Map.of("concerns", 3L)).setEvidenceEventIds(List.of("e1", "e2", "e3"))
                .setEvidenceDetails(Map.of()).setRaisedAt(Instant.now()).build();
        publishOverScram(alert);
        Path delivery = Files.writeString(DIR.resolve("delivery.properties"), String.join("\n",
                "delivery.route.market_oversight.teams=http://127.0.0.1:" + webhooks.getAddress().getPort() + "/teams",
                "delivery.group-id=secured-delivery", ""));
        start("dispatch", mutualTls(esUser()), "dispatch", "--config", delivery.toString());
        await("the alert posted to the webhook", () -> posted.stream().anyMatch(p -> p.contains("Test House")));
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefusedWithAMessageThatSaysWhatToCheckAndNotThePassword() throws Exception {
        String wrongKafka = "wrong-" + UUID.randomUUID();
        Map<String, String> env = scram(new HashMap<>());
        env.put("SAFEPATH_KAFKA_PASSWORD_FILE", Files.writeString(DIR.resolve("wrong-kafka-password"), wrongKafka).toString());
        Result kafka = safepathFails("simulate", env, "--days", "1");
        assertThat(kafka.output()).as("simulate with a wrong Kafka password")
                .contains("safepath simulate: Kafka refused SafePath's credentials", "Check SAFEPATH_KAFKA_USERNAME and SAFEPATH_KAFKA_PASSWORD")
                .doesNotContain(wrongKafka);

        String wrongEs = "wrong-" + UUID.randomUUID();
        Map<String, String> esEnv = esUser(new HashMap<>());
        esEnv.put("SAFEPATH_ES_PASSWORD_FILE", Files.writeString(DIR.resolve("wrong-es-password"), wrongEs).toString());
        Result es = safepathFails("query", esEnv, "--indicator", "discharge.nctr_in_bed");
        assertThat(es.output()).as("query with a wrong Elasticsearch password")
                .contains("safepath query: Elasticsearch refused SafePath's credentials (401). Check SAFEPATH_ES_USERNAME and SAFEPATH_ES_PASSWORD")
                .doesNotContain(wrongEs);

        // The dashboard says so at the top of the page (its API's 503), in words, without the password.
        assertThat(dashboardAnswer(esEnv)).startsWith("503").contains("refused the dashboard's credentials (401)").doesNotContain(wrongEs);
    }

    @Test
    @Order(3)
    void noSecretIsPrintedByAnyCommandOrTheJobEvenAtInfo() throws Exception {
        List<String> secrets = List.of(KAFKA_PASSWORD, ES_PASSWORD, TestCertificates.keyBody(certs.clientKey()), PipelineJobs.PSEUDONYM_KEY);
        StringBuilder all = new StringBuilder();
        for (Path output : outputs) {
            all.append(Files.readString(output));
        }
        // The Kafka clients printed their settings (so a secret in them would be here), with the secret ones hidden.
        assertThat(all).as("the clients' settings were logged").contains("sasl.jaas.config = [hidden]", "ssl.keystore.key = [hidden]");
        for (String secret : secrets) {
            assertThat(all.indexOf(secret)).as("a secret (%s...) in the output", secret.substring(0, 4)).isEqualTo(-1);
        }
    }

    // --- the environment a platform team sets ---

    private static Map<String, String> common(Map<String, String> env) {
        env.put("SAFEPATH_REGISTRY_URL", stack.registryUrl());
        env.put("SAFEPATH_REGISTRY_CA", certs.ca().toString());
        env.put("SAFEPATH_ES_URL", stack.elasticsearchUrl());
        env.put("SAFEPATH_ES_CA", certs.ca().toString());
        env.put("SAFEPATH_PSEUDONYM_KEY_FILE", DIR.resolve("pseudonym-key").toString());
        return env;
    }

    private static Map<String, String> scram(Map<String, String> env) {
        env.put("SAFEPATH_KAFKA", stack.kafkaSaslSslBootstrapServers());
        env.put("SAFEPATH_KAFKA_USERNAME", KAFKA_USER);
        env.put("SAFEPATH_KAFKA_PASSWORD_FILE", DIR.resolve("kafka-password").toString());
        env.put("SAFEPATH_KAFKA_CA", certs.ca().toString());
        return common(env);
    }

    private static Map<String, String> mutualTls(Map<String, String> env) {
        env.put("SAFEPATH_KAFKA", stack.kafkaMutualTlsBootstrapServers());
        env.put("SAFEPATH_KAFKA_CA", certs.ca().toString());
        env.put("SAFEPATH_KAFKA_CERTIFICATE", certs.clientCertificate().toString());
        env.put("SAFEPATH_KAFKA_KEY", certs.clientKey().toString());
        return common(env);
    }

    private static Map<String, String> esUser(Map<String, String> env) {
        env.put("SAFEPATH_ES_USERNAME", ES_USER);
        env.put("SAFEPATH_ES_PASSWORD_FILE", DIR.resolve("es-password").toString());
        return common(env);
    }

    private static Map<String, String> esUser() {
        return esUser(new HashMap<>());
    }

    // --- safepath processes ---

    record Result(int exitCode, String output) {
    }

    /** Runs a command to its end; it must succeed. Returns what it printed. */
    private static String safepath(String command, Map<String, String> env, String... args) throws Exception {
        Result r = finish(command, env, args);
        assertThat(r.exitCode()).as("safepath %s exited with %d: %s", command, r.exitCode(), r.output()).isZero();
        return r.output();
    }

    /** Runs a command to its end; it must fail. */
    private static Result safepathFails(String command, Map<String, String> env, String... args) throws Exception {
        Result r = finish(command, env, args);
        assertThat(r.exitCode()).as("safepath %s should have failed: %s", command, r.output()).isNotZero();
        return r;
    }

    private static Result finish(String command, Map<String, String> env, String... args) throws Exception {
        Process p = start(command, env, concat(command, args));
        Path output = outputs.get(outputs.size() - 1);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("safepath " + command + " did not finish in 3 min: " + SafePathProcess.tail(output));
        }
        return new Result(p.exitValue(), Files.readString(output));
    }

    /** Starts {@code safepath ARGS} as its own JVM, with the environment given, its output in a file of its own. */
    private static Process start(String name, Map<String, String> env, String... args) throws IOException {
        Path output = DIR.resolve(name + "-" + outputs.size() + ".log");
        outputs.add(output);
        Process p = SafePathProcess.start(output, env, List.of("-Xmx1g",
                "-Dlog4j2.configurationFile=" + Path.of("src/test/resources/log4j2-info.properties").toAbsolutePath()), args);
        running.add(p);
        return p;
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void publishOverScram(Alert alert) throws Exception {
        var props = KafkaSecurity.from(scram(new HashMap<>())::get).asProperties(stack.kafkaSaslSslBootstrapServers());
        RegistrySettings registry = new RegistrySettings(stack.registryUrl(), null, null, certs.ca().toString(), null, 0);
        String topic = EventStream.ALERTS.topic(EventStream.DEFAULT_TOPIC_PREFIX);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, alert.getAlertId().getBytes(StandardCharsets.UTF_8),
                    new ConfluentAvroSerializer(new SchemaRegistryClient(registry)).serialize(topic, alert))).get(1, TimeUnit.MINUTES);
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited 2 min for " + what + "; the last process's output: " + SafePathProcess.tail(outputs.get(outputs.size() - 1)));
            }
            Thread.sleep(500);
        }
    }

    /** Starts {@code safepath dashboard} with this environment; its API's first answer, "STATUS BODY". */
    private static String dashboardAnswer(Map<String, String> env) throws Exception {
        int port = org.safepath.infra.LoopbackPorts.free();
        start("dashboard", env, "dashboard", "--port", String.valueOf(port));
        HttpClient http = HttpClient.newHttpClient();
        String[] answer = new String[1];
        await("the dashboard's API", () -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/current?indicator=discharge.nctr_in_bed")).build(), HttpResponse.BodyHandlers.ofString());
                answer[0] = r.statusCode() + " " + r.body();
                return true;
            } catch (IOException | InterruptedException notYet) {
                return false;
            }
        });
        return answer[0];
    }

}
