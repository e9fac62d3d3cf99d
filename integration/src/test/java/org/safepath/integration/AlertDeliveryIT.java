package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safepath.app.delivery.AlertDispatcher;
import org.safepath.app.delivery.Channel;
import org.safepath.app.delivery.DeliveryLog;
import org.safepath.app.delivery.EmailChannel;
import org.safepath.app.delivery.Routes;
import org.safepath.app.delivery.WebhookChannel;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.kafka.ConfluentAvroSerializer;
import org.safepath.connectors.kafka.Topics;
import org.safepath.events.PersonIdentifier;
import org.safepath.infra.EmbeddedStack;
import org.safepath.records.Alert;
import org.safepath.records.AlertSeverity;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

/**
 * The alerts of a simulated quarter (the jobs' own, from a backtest) delivered by the dispatcher from a real Kafka
 * topic to a real SMTP server (GreenMail) and a real HTTP server standing in for Teams and Slack, with the delivery
 * log in the real Elasticsearch: each alert reaches each recipient once, in words they read, with no identifier;
 * a channel that fails for a while delays nothing else and delivers everything once it returns; a dispatcher
 * stopped in the middle and started again sends nothing twice.
 */
class AlertDeliveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedStack stack;
    private static final List<Alert> quarter = new ArrayList<>();
    private static final Set<String> identifiers = new TreeSet<>();
    private static HttpServer webhooks;
    private static final List<String[]> posted = new CopyOnWriteArrayList<>();
    private static final AtomicInteger failNext = new AtomicInteger();
    private static co.elastic.clients.transport.rest_client.RestClientTransport transport;

    @BeforeAll
    static void aQuartersAlerts(@TempDir Path dir) throws Exception {
        stack = SharedStack.get();
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<SimulatedEvent> events = new CouncilSimulator(11, CouncilSimulator.Rates.county()).generate(to.minus(90, ChronoUnit.DAYS), to);
        for (SimulatedEvent e : events) {
            var r = (org.apache.avro.specific.SpecificRecord) e.record();
            if (r.getSchema().getField("person") != null && r.get(r.getSchema().getField("person").pos()) instanceof PersonIdentifier p) {
                identifiers.addAll(People.clearIdentifiers(p));
            }
        }
        Path file = dir.resolve("events.jsonl");
        Files.write(file, events.stream().map(e -> org.safepath.app.files.EventJson.write(e.stream(),
                (org.apache.avro.generic.GenericRecord) e.record())).toList());
        Path alerts = dir.resolve("alerts.jsonl");
        org.safepath.app.SafePathFiles.backtest(List.of(file), to.toEpochMilli() - 1, dir.resolve("indicators.jsonl"), alerts);
        for (String line : Files.readAllLines(alerts)) {
            quarter.add(alert(JSON.readTree(line)));
        }
        webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String path : List.of("/teams", "/slack")) {
            webhooks.createContext(path, exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
                if (status == 200) {
                    posted.add(new String[]{path, body});
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
        }
        webhooks.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        webhooks.start();
        transport = ElasticsearchClients.transport(ElasticsearchSettings.of(stack.elasticsearchUrl()));
    }

    @AfterAll
    static void stop() throws IOException {
        webhooks.stop(0);
        transport.close();
    }

    /** An alert line of the backtest's alerts file, as the Avro record the jobs put on the topic. */
    static Alert alert(JsonNode a) {
        Map<String, Long> counts = new TreeMap<>();
        a.get("evidence_counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        Map<String, String> details = new TreeMap<>();
        a.path("evidence_details").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
        List<String> ids = new ArrayList<>();
        a.get("evidence_event_ids").forEach(i -> ids.add(i.asText()));
        return Alert.newBuilder().setAlertId(a.get("alert_id").asText()).setRule(a.get("rule").asText())
                .setSeverity(AlertSeverity.valueOf(a.get("severity").asText())).setSubjectKind(a.get("subject_kind").asText())
                .setSubjectId(a.get("subject_id").asText()).setSubjectName(a.has("subject_name") ? a.get("subject_name").asText() : null)
                .setAudience(a.get("audience").asText()).setRecipient(a.has("recipient") ? a.get("recipient").asText() : null)
                .setEvidenceCounts(counts).setEvidenceEventIds(ids).setEvidenceDetails(details)
                .setRaisedAt(Instant.parse(a.get("raised_at").asText())).build();
    }

    /**
     * The quarter's alerts under ids of this test's own (the delivery log is shared by the tests, and an alert it
     * records as sent is, rightly, never sent again).
     */
    private static List<Alert> quarterAs(String test) {
        return quarter.stream().map(a -> Alert.newBuilder(a).setAlertId(test + "-" + a.getAlertId()).build()).toList();
    }

    /** Each alert twice in a row, as the jobs' at-least-once writes can leave it after a restart from a checkpoint. */
    private static List<Alert> twice(List<Alert> alerts) {
        return alerts.stream().flatMap(a -> java.util.stream.Stream.of(a, a)).toList();
    }

    private static String publish(String prefix, List<Alert> alerts) {
        Topics.ensure(stack.kafkaBootstrapServers(), prefix, 2, (short) 1);
        String topic = EventStream.ALERTS.topic(prefix);
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.kafkaBootstrapServers());
        ConfluentAvroSerializer avro = new ConfluentAvroSerializer(SharedStack.registry());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (Alert a : alerts) {
                sends.add(producer.send(new ProducerRecord<>(topic, a.getAlertId().getBytes(StandardCharsets.UTF_8), avro.serialize(topic, a))));
            }
            for (var s : sends) {
                s.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new AssertionError("the test's alerts did not all reach " + topic, e);
        }
        return topic;
    }

    private static Routes routes() {
        return new Routes(routeConfig(""));
    }

    /** {@code webhookQuery}: added to the webhook URLs, as a council's regenerated webhook (or the demo's receiver on a new port) changes them. */
    private static Map<String, String> routeConfig(String webhookQuery) {
        String hooks = "http://127.0.0.1:" + webhooks.getAddress().getPort();
        return Map.of(
                "delivery.route.link_worker.email", "recipient",
                "delivery.route.market_oversight.email", "market-oversight@council.example",
                "delivery.route.market_oversight.teams", hooks + "/teams" + webhookQuery,
                "delivery.route.brokerage.email", "brokerage@council.example",
                "delivery.route.team_manager.slack", hooks + "/slack" + webhookQuery,
                "delivery.recipient.north-locality.email", "north-locality@council.example",
                "delivery.route.transitions_team.email", "transitions@council.example",
                "delivery.route.placing_team.email", "placements@council.example");
    }

    /** What the routes above should deliver: "channel address alert", one per alert and route. */
    private static Set<String> expected(List<Alert> alerts) {
        Set<String> out = new TreeSet<>();
        for (Alert a : alerts) {
            for (var r : routes().of(a)) {
                out.add(r.channel() + " " + (r.channel().equals("email") ? r.address() : r.address().substring(r.address().lastIndexOf('/'))) + " " + a.getAlertId());
            }
        }
        return out;
    }

    private static GreenMail lastMail;

    /** A mail server of the test's own, and the webhook receiver emptied. */
    private static GreenMail startMail() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        mail.start();
        lastMail = mail;
        posted.clear();
        return mail;
    }
    private static final AtomicInteger faultRuns = new AtomicInteger();

    private static AlertDispatcher dispatcher(String topic, String group, int smtpPort) {
        return dispatcher(topic, group, smtpPort, routes());
    }

    private static AlertDispatcher dispatcher(String topic, String group, int smtpPort, Routes routes) {
        List<Channel> channels = List.of(new EmailChannel("127.0.0.1", smtpPort, EmailChannel.Security.NONE, null, null, "safepath@council.example"),
                new WebhookChannel(WebhookChannel.Style.TEAMS), new WebhookChannel(WebhookChannel.Style.SLACK));
        return new AlertDispatcher(stack.kafkaBootstrapServers(), topic, group, SharedStack.registry(),
                new DeliveryLog(ElasticsearchClients.blocking(transport)), routes, channels, "http://127.0.0.1:8080",
                new AlertDispatcher.Timing(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    /** Why a dispatcher thread stopped by itself, if one did. */
    private static final java.util.concurrent.atomic.AtomicReference<Throwable> died = new java.util.concurrent.atomic.AtomicReference<>();

    private static Thread start(AlertDispatcher d, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            try {
                d.run(stop);
            } catch (Throwable e) {
                died.set(e);
            }
        }, "dispatcher");
        t.start();
        return t;
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!done.getAsBoolean()) {
            if (died.get() != null) {
                throw new AssertionError("The dispatcher stopped: " + died.get(), died.get());
            }
            if (System.nanoTime() > deadline) {
                String seen;
                try {
                    seen = received(lastMail, "").toString();
                } catch (Exception e) {
                    seen = e.toString();
                }
                StringBuilder threads = new StringBuilder();
                Thread.getAllStackTraces().forEach((th, stack) -> {
                    if (th.getName().startsWith("deliver-") || th.getName().equals("dispatcher")) {
                        threads.append('\n').append(th.getName()).append(' ').append(th.getState());
                        for (StackTraceElement e : stack) {
                            threads.append("\n    at ").append(e);
                        }
                    }
                });
                throw new AssertionError("Timed out waiting for " + what + "; received " + seen + "; webhooks posted " + posted.size()
                        + "; the dispatcher's threads:" + threads);
            }
            Thread.sleep(200);
        }
    }

    /** Every delivery received so far, as "channel address alert", in a list (so a second copy shows). */
    private static List<String> received(GreenMail mail, String alertPrefixFilter) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            for (var to : m.getRecipients(Message.RecipientType.TO)) {
                out.add("email " + to + " " + m.getHeader("X-SafePath-Alert")[0]);
            }
        }
        for (String[] p : posted) {
            JsonNode body = JSON.readTree(p[1]);
            String text = body.toString();
            String id = text.replaceAll("(?s).*Alert ([\\w-]+)\\..*", "$1");
            out.add((p[0].equals("/teams") ? "teams" : "slack") + " " + p[0] + " " + id);
        }
        return out.stream().filter(s -> s.endsWith(alertPrefixFilter) || alertPrefixFilter.isEmpty()).toList();
    }

    @Test
    void everyAlertOfAQuarterReachesEachRecipientOnceInWordsTheyReadAndNamesNoOne() throws Exception {
        assertThat(quarter).as("the quarter's alerts").hasSizeGreaterThan(5);
        assertThat(quarter).extracting(a -> a.getRule().toString()).contains("safeguarding.care_home_theme",
                "brokerage.commissioned_from_suspended_provider", "waiting.waiting_well", "transitions.no_assessment_at_18",
                "placements.host_provider_news");
        GreenMail mail = startMail();
        List<Alert> alerts = quarterAs("once");
        // Each alert twice in a row, as the jobs' at-least-once writes can leave it after a restart.
        String topic = publish("delivery-once.", twice(alerts));
        AtomicBoolean stop = new AtomicBoolean();
        try (AlertDispatcher d = dispatcher(topic, "delivery-once", mail.getSmtp().getPort())) {
            Thread t = start(d, stop);
            Set<String> want = expected(alerts);
            await("every delivery", () -> {
                try {
                    return received(mail, "").size() >= want.size();
                } catch (Exception e) {
                    return false;
                }
            });
            Thread.sleep(2000); // a second copy would have come by now
            stop.set(true);
            t.join();
            List<String> got = received(mail, "");
            assertThat(got).as("each alert to each route exactly once").doesNotHaveDuplicates();
            assertThat(new TreeSet<>(got)).isEqualTo(want);
        }
        for (MimeMessage m : mail.getReceivedMessages()) {
            String alertId = m.getHeader("X-SafePath-Alert")[0];
            assertThat(m.getSubject()).startsWith("[SafePath ");
            assertThat(m.getMessageID()).startsWith("<" + alertId + ".").endsWith("@safepath.invalid>");
            String body = m.getContent().toString();
            assertThat(body).contains("Open in SafePath: http://127.0.0.1:8080/?alert=" + alertId);
            String subject = m.getSubject();
            assertThat(identifiers).noneMatch(id -> body.contains(id) || subject.contains(id));
        }
        MimeMessage theme = java.util.Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains("Safeguarding theme at");
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
        assertThat(theme.getRecipients(Message.RecipientType.TO)[0].toString()).startsWith("link-").endsWith("@council.example");
        assertThat(theme.getContent().toString()).contains("neglect and acts of omission").contains("Consider a focused visit");

        // Each planted situation of the simulated council ends as its message in the mailbox that must act on it.
        var council = new CouncilSimulator(11, CouncilSimulator.Rates.county()).council();
        Map<String, List<String>> inbox = new TreeMap<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            inbox.computeIfAbsent(m.getRecipients(Message.RecipientType.TO)[0].toString(), k -> new ArrayList<>()).add(m.getSubject());
        }
        var neglectHome = council.careHomes().get(7);
        var suspended = council.careHomes().get(3);
        var host = council.careHomes().get(11);
        assertThat(inbox.get(neglectHome.linkWorker())).as("the neglect theme, to the home's link worker")
                .anyMatch(subject -> subject.contains("Safeguarding theme at " + neglectHome.name()));
        for (String mailbox : List.of("brokerage@council.example", "market-oversight@council.example")) {
            assertThat(inbox.get(mailbox)).as("the suspended home commissioned, to " + mailbox)
                    .anyMatch(subject -> subject.equals("[SafePath critical] Care commissioned from a suspended provider: " + suspended.name()));
        }
        assertThat(inbox.get("north-locality@council.example")).as("the person admitted while on the North Locality's list")
                .anyMatch(subject -> subject.contains("Someone on North Locality's waiting list is in hospital"));
        assertThat(inbox.get("transitions@council.example")).as("the young person reaching 18 unassessed")
                .anyMatch(subject -> subject.contains("A young person reached 18 with no adult assessment"));
        assertThat(inbox.get("placements@council.example")).as("the concern at the host home, to the placing team")
                .anyMatch(subject -> subject.contains("A safeguarding concern at " + host.name() + ", where 2 of your people are placed"));
        mail.stop();

        for (String[] p : posted) {
            JsonNode body = JSON.readTree(p[1]);
            assertThat(identifiers).noneMatch(body.toString()::contains);
            if (p[0].equals("/teams")) {
                assertThat(body.get("type").asText()).isEqualTo("message");
                JsonNode attachment = body.get("attachments").get(0);
                assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
                JsonNode card = attachment.get("content");
                assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
                assertThat(card.get("version").asText()).isEqualTo("1.4");
                assertThat(card.get("body").get(0).get("type").asText()).isEqualTo("TextBlock");
                assertThat(card.get("actions").get(0).get("type").asText()).isEqualTo("Action.OpenUrl");
            } else {
                assertThat(body.get("text").asText()).isNotBlank();
                assertThat(body.get("blocks").get(0).get("type").asText()).isEqualTo("header");
                assertThat(body.get("blocks").get(0).get("text").get("type").asText()).isEqualTo("plain_text");
                assertThat(body.get("blocks").get(1).get("type").asText()).isEqualTo("section");
                assertThat(body.get("blocks").get(body.get("blocks").size() - 1).get("elements").get(0).get("type").asText()).isEqualTo("button");
            }
        }
    }

    @Test
    void aMailServerDownAndAWebhookFailingDelayNothingElseAndDeliverEverythingOnceTheyReturn() throws Exception {
        int smtpPort = org.safepath.infra.LoopbackPorts.free();
        posted.clear();
        failNext.set(3); // the first three webhook calls answer 500
        String run = "faults" + faultRuns.incrementAndGet();
        List<Alert> batch = quarterAs(run);
        String topic = publish("delivery-" + run + ".", batch);
        Set<String> want = expected(batch);
        long webhookWanted = want.stream().filter(s -> !s.startsWith("email")).count();
        AtomicBoolean stop = new AtomicBoolean();
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        lastMail = mail;
        try (AlertDispatcher d = dispatcher(topic, "delivery-" + run, smtpPort)) {
            Thread t = start(d, stop);
            await("the webhooks, with the mail server down", () -> posted.size() >= webhookWanted);
            Thread.sleep(4000); // past the 3 s after which a failing delivery is flagged overdue
            mail.start();
            await("the mail, once the server is back", () -> mail.getReceivedMessages().length >= want.size() - webhookWanted);
            Thread.sleep(2000);
            stop.set(true);
            t.join();
            List<String> got = received(mail, "");
            assertThat(got).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(got)).isEqualTo(want);
        } finally {
            mail.stop();
        }
        JsonNode log = Elastic.request(stack.elasticsearchUrl(), "POST", "/" + DeliveryLog.INDEX + "/_search",
                "{\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"channel\":\"email\"}},{\"term\":{\"status\":\"sent\"}},"
                        + "{\"range\":{\"attempts\":{\"gt\":1}}},{\"terms\":{\"alert_id\":" + JSON.writeValueAsString(
                        batch.stream().map(a -> a.getAlertId().toString()).toList()) + "}}]}}}");
        assertThat(log.path("hits").path("total").path("value").asLong()).as("emails sent after retries, as the log records")
                .isGreaterThan(0);
    }

    @Test
    void aDispatcherStoppedMidRunAndStartedAgainSendsEachAlertToEachRecipientExactlyOnce() throws Exception {
        GreenMail mail = startMail();
        List<Alert> alerts = quarterAs("restart");
        String topic = publish("delivery-restart.", alerts);
        Set<String> want = expected(alerts);
        try {
            AtomicBoolean stop = new AtomicBoolean();
            AlertDispatcher first = dispatcher(topic, "delivery-restart", mail.getSmtp().getPort());
            Thread t = start(first, stop);
            await("half the deliveries", () -> first.sentCount() >= want.size() / 2);
            stop.set(true);
            first.close(); // its queued deliveries go with it
            t.join();
            int before = mail.getReceivedMessages().length + posted.size();
            assertThat(before).as("stopped part-way").isLessThan(want.size());

            AtomicBoolean stop2 = new AtomicBoolean();
            // Started again with the webhooks' URLs changed (a regenerated Teams webhook; the demo's receiver on a new
            // port): the same route, so what was sent to it is not sent again.
            try (AlertDispatcher second = dispatcher(topic, "delivery-restart", mail.getSmtp().getPort(), new Routes(routeConfig("?rotated=1")))) {
                Thread t2 = start(second, stop2);
                await("the rest", () -> mail.getReceivedMessages().length + posted.size() >= want.size());
                Thread.sleep(2000);
                stop2.set(true);
                t2.join();
            }
            List<String> got = received(mail, "");
            assertThat(got).as("each alert to each recipient exactly once across the two runs").doesNotHaveDuplicates();
            assertThat(new TreeSet<>(got)).isEqualTo(want);
        } finally {
            mail.stop();
        }
    }

    /**
     * {@code safepath dispatch} as its own process, killed with SIGKILL half-way through a quarter whose alerts are on
     * the topic twice (as the jobs' at-least-once writes leave them after a restart from a checkpoint), then started
     * again: every alert reaches each recipient, and a second copy can only be the one documented window (sent, then
     * killed before the log recorded it), an email with the same Message-ID. The copies are counted and reported.
     */
    @Test
    void aDispatcherProcessKilledMidRunAndStartedAgainDeliversEachAlertToEachRecipientOnce(@TempDir Path dir) throws Exception {
        GreenMail mail = startMail();
        List<Alert> alerts = quarterAs("killed");
        String topic = publish("delivery-killed.", twice(alerts));
        Set<String> want = expected(alerts);
        Path config = dir.resolve("delivery.properties");
        List<String> lines = new ArrayList<>(List.of("delivery.smtp.host=127.0.0.1", "delivery.smtp.port=" + mail.getSmtp().getPort(),
                "delivery.smtp.security=none", "delivery.smtp.from=safepath@council.example", "delivery.group-id=delivery-killed",
                "delivery.retry.first=200ms", "delivery.retry.max=2s"));
        routeConfig("").forEach((k, v) -> lines.add(k + "=" + v));
        Files.write(config, lines);
        try {
            Process first = dispatchProcess(config, dir.resolve("first.log"));
            await("a third of the deliveries", () -> mail.getReceivedMessages().length + posted.size() >= want.size() / 3
                    || !first.isAlive());
            assertThat(first.isAlive()).as("the first dispatcher runs until killed; its output: %s", SafePathProcess.tail(dir.resolve("first.log"))).isTrue();
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            first.waitFor();
            int before = mail.getReceivedMessages().length + posted.size();
            assertThat(before).as("killed part-way").isLessThan(want.size());

            Process second = dispatchProcess(config, dir.resolve("second.log"));
            try {
                await("the rest, from the second dispatcher", () -> {
                    try {
                        return new TreeSet<>(received(mail, "")).size() >= want.size() || !second.isAlive();
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(second.isAlive()).as("the second dispatcher's output: %s", SafePathProcess.tail(dir.resolve("second.log"))).isTrue();
                Thread.sleep(3000); // a repeat would have come by now
            } finally {
                second.destroy();
                second.waitFor();
            }
            List<String> got = received(mail, "");
            assertThat(new TreeSet<>(got)).as("every alert to every recipient").isEqualTo(want);
            List<String> messageIds = new ArrayList<>();
            for (MimeMessage m : mail.getReceivedMessages()) {
                messageIds.add(m.getMessageID() + " " + java.util.Arrays.toString(m.getRecipients(Message.RecipientType.TO)));
            }
            long repeats = got.size() - want.size();
            System.out.printf("Dispatcher killed after %d of %d deliveries; after the restart, %d repeated (the crash window)%n",
                    before, want.size(), repeats);
            // At most one attempt per delivery thread (two per channel) can be inside the window when the process dies.
            assertThat(repeats).as("repeats, each only a send under way when the process was killed").isLessThanOrEqualTo(6);
            assertThat(messageIds.stream().distinct().count()).as("a repeated email is the same message (same Message-ID)")
                    .isEqualTo(want.stream().filter(w -> w.startsWith("email")).count());
        } finally {
            mail.stop();
        }
    }

    private static Process dispatchProcess(Path config, Path output) throws IOException {
        return SafePathProcess.start(output, null, List.of("-Xmx256m"), "dispatch", "--config", config.toString(), "--kafka",
                stack.kafkaBootstrapServers(), "--registry", stack.registryUrl(), "--elasticsearch", stack.elasticsearchUrl(),
                "--topic-prefix", "delivery-killed.");
    }


    @Test
    void aRecipientAcknowledgesFromTheLinkInTheMessageAndTheFirstAcknowledgementStands() throws Exception {
        Alert a = quarterAs("ack").get(0);
        String es = stack.elasticsearchUrl();
        String id = a.getAlertId();
        Elastic.request(es, "PUT", "/" + org.safepath.connectors.elasticsearch.SafePathIndices.ALERTS + "/_doc/" + id + "?refresh=true",
                org.safepath.connectors.elasticsearch.AlertDocuments.json(a).toString());
        long version = Elastic.request(es, "GET", "/" + org.safepath.connectors.elasticsearch.SafePathIndices.ALERTS + "/_doc/" + id, null)
                .get("_version").asLong();
        org.safepath.app.delivery.AlertMessage message = org.safepath.app.delivery.AlertMessages.of(a, "http://127.0.0.1:8080");
        assertThat(message.text()).contains("Acknowledge: http://127.0.0.1:8080/ack/" + id);

        try (org.safepath.dashboards.DashboardServer dashboard = org.safepath.dashboards.DashboardServer.start(0, es)) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String ack = dashboard.url() + "ack/" + id;
            String form = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ack)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(form).as("following the link acknowledges nothing by itself").contains("<form method=\"post\">");
            for (String who : List.of("Link worker West", "Someone later")) {
                var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ack))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("by=" + java.net.URLEncoder.encode(who, StandardCharsets.UTF_8)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("acknowledged by <strong>Link worker West</strong>");
            }
            var unknown = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard.url() + "ack/no-such-alert"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("by=x")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("No alert with id no-such-alert");
        }
        var acks = new org.safepath.dashboards.AlertAcknowledgements(ElasticsearchClients.blocking(transport));
        assertThat(acks.of(List.of(id)).get(id).by()).isEqualTo("Link worker West");
        assertThat(acks.list(null, true, 1000)).noneMatch(l -> id.equals(l.alert().get("alert_id")));
        assertThat(acks.list(null, false, 1000)).anyMatch(l -> id.equals(l.alert().get("alert_id")) && l.ack() != null);
        assertThat(Elastic.request(es, "GET", "/" + org.safepath.connectors.elasticsearch.SafePathIndices.ALERTS + "/_doc/" + id, null)
                .get("_version").asLong()).as("the alert's own document, which the jobs write with versions, is untouched").isEqualTo(version);
    }
}
