package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.kafka.Topics;
import org.safepath.events.BrokerageEvent;
import org.safepath.events.SafeguardingEvent;
import org.safepath.infra.EmbeddedStack;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.KafkaEventPublisher;
import org.safepath.simulator.SimulatedEvent;
import org.safepath.simulator.SyntheticCouncil;

/**
 * A simulated quarter of a county's safeguarding, brokerage, provider news and care journeys (with the hospital
 * discharges that waiting well joins on) through real Kafka, registry, Flink and Elasticsearch. Every document of the
 * market-oversight and people's-journeys domains equals the plain references as of its own instant, and the planted
 * situations (a neglect theme at one care home, a suspended provider then commissioned, a person admitted to hospital
 * while waiting, a young person reaching 18 unassessed, news at a home where people are placed out of area) raise the
 * alerts the people who must act expect, and no others.
 */
class MarketOversightIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineJobs.miniClusterForBacktests(4);

    private static final String PREFIX = "oversight.";
    /** Not a real ONS code: this test's council, apart from the other tests' documents in the shared indices. */
    private static final String LA = "E99999907";
    private static final long SEED = 7;
    private static final String OURS = "{\"bool\":{\"filter\":[{\"terms\":{\"domain\":[\"safeguarding\",\"brokerage\",\"provider\",\"waiting\",\"transitions\",\"placements\"]}},"
            + "{\"bool\":{\"should\":[{\"term\":{\"dimensions.local_authority\":\"" + LA + "\"}},{\"terms\":{\"dimensions.provider_location_id\":%s}}]}}]}}";

    private static EmbeddedStack stack;
    private static JobClient job;
    private static SyntheticCouncil council;
    private static final List<SpecificRecord> records = new ArrayList<>();
    private static final List<SimulatedEvent> published = new ArrayList<>();
    private static String ours;
    private static String homesJson;
    private static Set<String> homes;

    @BeforeAll
    static void runPipeline() throws Exception {
        stack = SharedStack.get();
        Topics.ensure(stack.kafkaBootstrapServers(), PREFIX, 2, (short) 1);
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(50, ChronoUnit.MINUTES);
        CouncilSimulator simulator = new CouncilSimulator(SEED, CouncilSimulator.Rates.county());
        council = simulator.council();
        for (SimulatedEvent e : simulator.generate(to.minus(90, ChronoUnit.DAYS), to)) {
            if (e.stream() != EventStream.ALERTS) {
                SpecificRecordBase r = (SpecificRecordBase) e.record();
                for (String field : List.of("local_authority", "provider_local_authority")) {
                    if (r.getSchema().getField(field) != null && SyntheticCouncil.LOCAL_AUTHORITY.equals(String.valueOf(r.get(field)))) {
                        r.put(field, LA);
                    }
                }
                records.add(r);
                published.add(e);
            }
        }
        homes = new TreeSet<>();
        council.careHomes().forEach(h -> homes.add(h.locationId()));
        homesJson = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(homes);
        ours = OURS.formatted(homesJson);

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(stack.kafkaBootstrapServers(), SharedStack.registry(), PREFIX)) {
            publisher.publishAll(published);
        }
        job = PipelineJobs.start(stack, "market-oversight-it", Map.of("group-prefix", "oversight-it", "topic-prefix", PREFIX));
        long lastEventAt = published.stream().mapToLong(SimulatedEvent::occurredAt).max().orElseThrow();
        awaitStable(Math.floorDiv(lastEventAt - 60_000L, 3_600_000L) * 3_600_000L);
    }

    @AfterAll
    static void stopJob() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
    }

    private static void awaitStable(long caughtUpAt) throws InterruptedException {
        String url = stack.elasticsearchUrl();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        String last = "";
        int stableFor = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(2000);
            JsonNode agg = Elastic.request(url, "POST", "/" + SafePathIndices.CURRENT + "/_search",
                    "{\"size\":0,\"query\":" + ours + ",\"aggs\":{\"max\":{\"max\":{\"field\":\"as_of\"}}}}");
            long provisional = Elastic.count(url, SafePathIndices.CURRENT,
                    "{\"bool\":{\"filter\":[{\"term\":{\"provisional\":true}}," + ours + "]}}");
            long alerts = Elastic.count(url, SafePathIndices.ALERTS, "{\"match_all\":{}}");
            // A key with nothing left (a package type last sourced months ago) keeps its last document, as of then:
            // the newest document, not the oldest, tells that the job has caught up.
            double max = agg.path("aggregations").path("max").path("value").asDouble(0);
            String now = "documents " + agg.path("hits").path("total").path("value").asText() + ", newest as of "
                    + Instant.ofEpochMilli((long) max) + ", alerts " + alerts + ", provisional " + provisional;
            stableFor = now.equals(last) && max >= caughtUpAt && provisional == 0 ? stableFor + 1 : 0;
            last = now;
            if (stableFor >= 3) {
                return;
            }
        }
        List<JsonNode> stillProvisional = Elastic.search(url, SafePathIndices.CURRENT,
                "{\"bool\":{\"filter\":[{\"term\":{\"provisional\":true}}," + ours + "]}}");
        throw new AssertionError("Indicators did not settle (last seen " + last + "); provisional: "
                + stillProvisional.stream().limit(5).map(JsonNode::toString).toList());
    }

    private static long asOf(JsonNode doc) {
        return Instant.parse(doc.get("as_of").asText()).toEpochMilli();
    }

    @Test
    void everyDocumentOfTheseDomainsEqualsTheReferenceAsOfItsInstant() {
        MarketOversightReference ref = new MarketOversightReference(records);
        PeoplesJourneysReference journeys = new PeoplesJourneysReference(records);
        List<JsonNode> docs = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.CURRENT, ours);
        Map<String, Integer> byIndicator = new TreeMap<>();
        Set<Long> instants = new HashSet<>();
        for (JsonNode doc : docs) {
            String indicator = doc.get("indicator").asText();
            JsonNode d = doc.get("dimensions");
            long t = asOf(doc);
            instants.add(t);
            byIndicator.merge(indicator, 1, Integer::sum);
            double value = doc.get("value").asDouble();
            String la = d.path("local_authority").asText();
            double expected = switch (indicator) {
                case "safeguarding.concerns_90d" -> d.has("cqc_location_id")
                        ? ref.concernsAtHome(d.get("cqc_location_id").asText(), d.get("type_of_risk").asText(), t)
                        : ref.concernsAtLocation(la, d.get("location_of_risk").asText(), t);
                case "safeguarding.care_home_theme" -> {
                    Map<String, Long> counts = ref.themeCounts(d.get("cqc_location_id").asText(), t);
                    String type = d.get("type_of_risk").asText();
                    yield type.equals("ALL") ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.getOrDefault(type, 0L);
                }
                case "safeguarding.unscreened_over_24h" -> ref.unscreenedOver24h(la, t);
                case "safeguarding.s42_conversion_90d" -> ref.s42Conversion(la, t);
                case "brokerage.open_requests" -> ref.openRequests(la, d.get("package_type").asText(), d.get("urgency").asText(),
                        d.get("area").asText(), t);
                case "brokerage.unsourced_over_72h" -> ref.unsourcedOver72h(la, d.get("package_type").asText(), d.get("area").asText(), t);
                case "brokerage.same_day_response_rate_7d" -> ref.sameDayResponseRate(la, t);
                case "brokerage.median_hours_to_source_28d" -> ref.medianHoursToSource(la, d.get("package_type").asText(), t);
                case "provider.open_concerns" -> ref.openQualityConcerns(d.get("provider_location_id").asText(), t);
                case "provider.suspended" -> ref.riskComponents(d.get("provider_location_id").asText(), t).get("suspension") > 0 ? 1 : 0;
                case "provider.safeguarding_per_10_beds_90d" -> ref.safeguardingPer10Beds(d.get("provider_location_id").asText(), t);
                case "provider.risk_score" -> {
                    String location = d.get("provider_location_id").asText();
                    Map<String, Double> components = new TreeMap<>();
                    doc.get("components").fields().forEachRemaining(c -> components.put(c.getKey(), c.getValue().asDouble()));
                    assertThat(components).as("components of %s as of %s", location, Instant.ofEpochMilli(t))
                            .isEqualTo(ref.riskComponents(location, t));
                    assertThat(doc.get("rag").asText()).isEqualTo(value >= 60 ? "RED" : value >= 30 ? "AMBER" : "GREEN");
                    yield ref.riskScore(location, t);
                }
                case "waiting.people_waiting", "waiting.over_threshold", "waiting.median_wait_days", "waiting.band_under_6_weeks",
                     "waiting.band_6_to_11_weeks", "waiting.band_12_to_23_weeks", "waiting.band_24_plus_weeks" ->
                        journeys.waiting(indicator, la, d.get("team").asText(), d.get("waiting_for").asText(), d.get("priority").asText(), t);
                case "transitions.tracked", "transitions.no_adult_request_at_17_5", "transitions.no_assessment_at_18" ->
                        journeys.transitions(indicator, la, t);
                case "placements.out_of_area" -> journeys.outOfArea(la, d.get("host_local_authority").asText(), t);
                default -> throw new AssertionError("Unexpected indicator " + indicator);
            };
            assertThat(value).as("%s %s as of %s", indicator, d, Instant.ofEpochMilli(t)).isCloseTo(expected, within(1e-9));
        }
        assertThat(byIndicator).as("documents of every indicator of the three domains").containsOnlyKeys(
                "safeguarding.concerns_90d", "safeguarding.care_home_theme", "safeguarding.unscreened_over_24h",
                "safeguarding.s42_conversion_90d", "brokerage.open_requests", "brokerage.unsourced_over_72h",
                "brokerage.same_day_response_rate_7d", "brokerage.median_hours_to_source_28d", "provider.open_concerns",
                "provider.suspended", "provider.safeguarding_per_10_beds_90d", "provider.risk_score",
                "waiting.people_waiting", "waiting.over_threshold", "waiting.median_wait_days", "waiting.band_under_6_weeks",
                "waiting.band_6_to_11_weeks", "waiting.band_12_to_23_weeks", "waiting.band_24_plus_weeks",
                "transitions.tracked", "transitions.no_adult_request_at_17_5", "transitions.no_assessment_at_18", "placements.out_of_area");
        assertThat(byIndicator.get("provider.risk_score")).as("one risk score per care home").isEqualTo(homes.size());
        assertThat(instants).as("values as of several instants").hasSizeGreaterThan(1);
    }

    /** The people's-journeys rules, whose subjects are waits, transitions and providers: this council's by its code. */
    static final List<String> JOURNEY_RULES = List.of("waiting.waiting_well", "transitions.no_assessment_at_18",
            "placements.host_provider_news");
    static final List<String> OVERSIGHT_RULES = List.of("safeguarding.care_home_theme",
            "brokerage.commissioned_from_suspended_provider", "provider.risk_score");

    private static List<JsonNode> journeyAlerts(String rule) {
        return Elastic.search(stack.elasticsearchUrl(), SafePathIndices.ALERTS, "{\"bool\":{\"filter\":[{\"term\":{\"rule\":\"" + rule
                + "\"}},{\"term\":{\"evidence_details.local_authority\":\"" + LA + "\"}}]}}");
    }

    private static List<JsonNode> anyAlerts(String rule) {
        return JOURNEY_RULES.contains(rule) ? journeyAlerts(rule) : alerts(rule);
    }

    private static long raisedAt(JsonNode a) {
        return Instant.parse(a.get("raised_at").asText()).toEpochMilli();
    }

    private static long lastEventAt() {
        return published.stream().mapToLong(SimulatedEvent::occurredAt).max().orElseThrow();
    }

    private static Set<String> keys(List<JsonNode> raised) {
        Set<String> k = new TreeSet<>();
        raised.forEach(a -> k.add(a.get("subject_id").asText() + " to " + a.path("recipient").asText() + " at "
                + a.get("raised_at").asText() + " (" + a.get("severity").asText() + ")"));
        return k;
    }

    private static Set<String> keys(List<PeoplesJourneysReference.Expected> expected, boolean x) {
        Set<String> k = new TreeSet<>();
        expected.forEach(e -> k.add(e.subject() + " to " + e.recipient() + " at " + Instant.ofEpochMilli(e.raisedAt()) + " (" + e.severity() + ")"));
        return k;
    }

    @Test
    void aPersonWhoCameToHarmOrHospitalWhileWaitingIsRaisedToTheTeamHoldingTheWaitAndNoOneElse() {
        PeoplesJourneysReference ref = new PeoplesJourneysReference(records);
        List<JsonNode> raised = journeyAlerts("waiting.waiting_well");
        List<PeoplesJourneysReference.Expected> expected = ref.waitingWellAlerts(lastEventAt());
        assertThat(keys(raised)).isEqualTo(keys(expected, true));
        assertThat(raised).as("the planted admission while waiting").anySatisfy(a -> {
            assertThat(a.get("recipient").asText()).isEqualTo("North Locality");
            assertThat(a.get("evidence_details").get("what_happened").asText()).isEqualTo("DISCHARGE_READY");
        });
        for (JsonNode a : raised) {
            PeoplesJourneysReference.Wait w = ref.waits.get(a.get("subject_id").asText());
            assertThat(a.get("audience").asText()).isEqualTo("team_manager");
            assertThat(a.get("evidence_counts").get("days_waited").asLong()).isEqualTo((raisedAt(a) - w.addedAt()) / PeoplesJourneysReference.DAY);
            assertThat(a.get("evidence_details").get("priority").asText()).isEqualTo(w.priorityAt(raisedAt(a)));
            assertThat(a.get("evidence_event_ids").get(0).asText()).isEqualTo(w.addedEventId());
        }
    }

    @Test
    void everyYoungPersonReaching18UnassessedIsRaisedToTheTransitionsTeamAtTheirBirthday() {
        PeoplesJourneysReference ref = new PeoplesJourneysReference(records);
        List<JsonNode> raised = journeyAlerts("transitions.no_assessment_at_18");
        List<PeoplesJourneysReference.Expected> expected = ref.cliffEdgeAlerts(lastEventAt());
        assertThat(raised).allSatisfy(a -> assertThat(raisedAt(a)).isLessThanOrEqualTo(System.currentTimeMillis()));
        List<JsonNode> inPeriod = raised.stream().filter(a -> raisedAt(a) <= lastEventAt()).toList();
        assertThat(keys(inPeriod)).isEqualTo(keys(expected, true));
        String planted = records.stream().filter(r -> r instanceof org.safepath.events.CareJourneyEvent c
                        && c.getEventType().name().equals("TRANSITION_IDENTIFIED") && String.valueOf(c.getPerson().getCouncilPersonId()).equals("P-YP-" + SEED))
                .map(r -> ((org.safepath.events.CareJourneyEvent) r).getEventId().toString()).findFirst().orElseThrow();
        assertThat(inPeriod).as("the planted young person").anySatisfy(a -> assertThat(a.get("subject_id").asText()).isEqualTo(planted));
        assertThat(inPeriod).allSatisfy(a -> assertThat(a.get("audience").asText()).isEqualTo("transitions_team"));
    }

    @Test
    void newsAtAHomeWherePeopleArePlacedOutOfAreaReachesThePlacingTeamWithHowManyAreThere() {
        PeoplesJourneysReference ref = new PeoplesJourneysReference(records);
        List<JsonNode> raised = journeyAlerts("placements.host_provider_news");
        List<PeoplesJourneysReference.Expected> expected = ref.hostNewsAlerts(lastEventAt());
        assertThat(keys(raised)).isEqualTo(keys(expected, true));
        SyntheticCouncil.CareHome host = council.careHomes().get(11);
        assertThat(raised).as("the planted concern at a host home").anySatisfy(a -> {
            assertThat(a.get("subject_id").asText()).isEqualTo(host.locationId());
            assertThat(a.get("subject_name").asText()).isEqualTo(host.name());
            assertThat(a.get("recipient").asText()).isEqualTo("Learning Disability Team");
            assertThat(a.get("evidence_counts").get("people_placed").asLong()).isGreaterThanOrEqualTo(2);
        });
        for (JsonNode a : raised) {
            PeoplesJourneysReference.Expected e = expected.stream().filter(x -> x.subject().equals(a.get("subject_id").asText())
                    && x.raisedAt() == raisedAt(a) && x.recipient().equals(a.get("recipient").asText())).findFirst().orElseThrow();
            assertThat(a.get("evidence_counts").get("people_placed").asLong()).isEqualTo(e.count());
            assertThat(a.get("audience").asText()).isEqualTo("placing_team");
        }
    }

    private static List<JsonNode> alerts(String rule) {
        return Elastic.search(stack.elasticsearchUrl(), SafePathIndices.ALERTS, "{\"bool\":{\"filter\":[{\"term\":{\"rule\":\"" + rule
                + "\"}},{\"terms\":{\"subject_id\":" + homesJson + "}}]}}");
    }

    @Test
    void commissioningTheSuspendedProviderRaisesOneCriticalAlertToBrokerageAndOneToMarketOversight() {
        SyntheticCouncil.CareHome suspended = council.careHomes().get(3);
        List<BrokerageEvent> fromSuspended = records.stream().filter(r -> r instanceof BrokerageEvent b
                        && b.getEventType().name().equals("SOURCED") && suspended.locationId().equals(String.valueOf(b.getProviderLocationId())))
                .map(r -> (BrokerageEvent) r).toList();
        long suspendedAt = new MarketOversightReference(records).providerEvents.stream()
                .filter(e -> e.getKind().name().equals("SUSPENSION_STARTED")).mapToLong(e -> e.getOccurredAt().toEpochMilli()).min().orElseThrow();
        List<String> duringSuspension = fromSuspended.stream().filter(b -> b.getOccurredAt().toEpochMilli() >= suspendedAt)
                .map(b -> b.getEventId().toString()).toList();
        assertThat(duringSuspension).as("the planted mistake").hasSize(1);

        List<JsonNode> raised = alerts("brokerage.commissioned_from_suspended_provider");
        assertThat(raised).extracting(a -> a.get("audience").asText()).containsExactlyInAnyOrder("brokerage", "market_oversight");
        assertThat(raised).allSatisfy(a -> {
            assertThat(a.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(a.get("subject_id").asText()).isEqualTo(suspended.locationId());
            assertThat(a.get("subject_name").asText()).isEqualTo(suspended.name());
            assertThat(a.get("evidence_event_ids").get(0).asText()).isEqualTo(duringSuspension.get(0));
        });
    }

    @Test
    void everyThemeAlertIsATrueThemeForTheHomesLinkWorkerAndThePlantedNeglectThemeIsRaised() {
        MarketOversightReference ref = new MarketOversightReference(records);
        List<JsonNode> raised = alerts("safeguarding.care_home_theme");
        SyntheticCouncil.CareHome neglect = council.careHomes().get(7);
        assertThat(raised).as("the planted neglect theme").anySatisfy(a -> {
            assertThat(a.get("subject_id").asText()).isEqualTo(neglect.locationId());
            assertThat(a.get("evidence_counts").get("NEGLECT_AND_ACTS_OF_OMISSION").asLong()).isGreaterThanOrEqualTo(3);
        });
        Map<String, SyntheticCouncil.CareHome> byId = new TreeMap<>();
        council.careHomes().forEach(h -> byId.put(h.locationId(), h));
        Set<String> alerted = new TreeSet<>();
        for (JsonNode a : raised) {
            String home = a.get("subject_id").asText();
            long at = Instant.parse(a.get("raised_at").asText()).toEpochMilli();
            alerted.add(home);
            assertThat(ref.themeAt(home, at)).as("a theme at %s as of %s", home, a.get("raised_at").asText()).isTrue();
            Map<String, Long> counts = ref.themeCounts(home, at);
            counts.forEach((type, n) -> assertThat(a.get("evidence_counts").get(type).asLong()).isEqualTo(n));
            assertThat(a.get("evidence_event_ids")).hasSize((int) counts.values().stream().mapToLong(Long::longValue).sum());
            assertThat(a.get("audience").asText()).isEqualTo("link_worker");
            assertThat(a.get("recipient").asText()).isEqualTo(byId.get(home).linkWorker());
        }
        // No theme goes unraised: every home the reference finds a theme at (checked at each concern's minute) was alerted.
        Set<String> themed = new TreeSet<>();
        for (MarketOversightReference.Concern c : ref.concerns.values()) {
            long minute = Math.floorDiv(c.receivedAt() + 59_999, 60_000L) * 60_000L;
            if (c.home() != null && ref.themeAt(c.home(), minute)) {
                themed.add(c.home());
            }
        }
        assertThat(alerted).isEqualTo(themed);
    }

    @Test
    void providerAlertsGoToMarketOversightWithTheScoreAsOfTheirInstant() {
        MarketOversightReference ref = new MarketOversightReference(records);
        for (JsonNode a : alerts("provider.risk_score")) {
            long at = Instant.parse(a.get("raised_at").asText()).toEpochMilli();
            double score = ref.riskScore(a.get("subject_id").asText(), at);
            assertThat(a.get("evidence_counts").get("score").asLong()).isEqualTo(Math.round(score));
            assertThat(a.get("audience").asText()).isEqualTo("market_oversight");
            assertThat(a.get("severity").asText()).isEqualTo(score >= 60 ? "HIGH" : "WARNING");
        }
    }

    @Test
    void aBacktestOverTheSameEventsGivesTheReferenceValuesAndTheSameAlertIds(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        long lastEventAt = published.stream().mapToLong(SimulatedEvent::occurredAt).max().orElseThrow();
        long asOf = Math.floorDiv(lastEventAt, 3_600_000L) * 3_600_000L - 3_600_000L;
        Path events = dir.resolve("events.jsonl");
        Files.write(events, published.stream()
                .map(e -> org.safepath.app.files.EventJson.write(e.stream(), (org.apache.avro.generic.GenericRecord) e.record())).toList());
        Path out = dir.resolve("indicators.jsonl");
        Path alertsOut = dir.resolve("alerts.jsonl");
        assertThat(org.safepath.app.SafePathFiles.backtest(List.of(events), asOf, out, alertsOut)).as("rejected").isZero();

        MarketOversightReference ref = new MarketOversightReference(records);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int compared = 0;
        for (String line : Files.readAllLines(out)) {
            JsonNode doc = json.readTree(line);
            JsonNode d = doc.get("dimensions");
            String indicator = doc.get("indicator").asText();
            double expected = switch (indicator) {
                case "safeguarding.concerns_90d" -> d.has("cqc_location_id")
                        ? ref.concernsAtHome(d.get("cqc_location_id").asText(), d.get("type_of_risk").asText(), asOf)
                        : ref.concernsAtLocation(LA, d.get("location_of_risk").asText(), asOf);
                case "safeguarding.unscreened_over_24h" -> ref.unscreenedOver24h(LA, asOf);
                case "brokerage.unsourced_over_72h" -> ref.unsourcedOver72h(LA, d.get("package_type").asText(), d.get("area").asText(), asOf);
                case "provider.risk_score" -> ref.riskScore(d.get("provider_location_id").asText(), asOf);
                default -> Double.NaN;
            };
            if (!Double.isNaN(expected)) {
                assertThat(doc.get("value").asDouble()).as("backtest %s %s", indicator, d).isCloseTo(expected, within(1e-9));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(homes.size());

        // The alerts of the bounded run are the streaming run's alerts up to the same instant, with the same ids.
        Set<String> backtested = new TreeSet<>();
        for (String line : Files.readAllLines(alertsOut)) {
            backtested.add(json.readTree(line).get("alert_id").asText());
        }
        Set<String> streamed = new TreeSet<>();
        for (String rule : concat(OVERSIGHT_RULES, JOURNEY_RULES)) {
            anyAlerts(rule).stream().filter(a -> Instant.parse(a.get("raised_at").asText()).toEpochMilli() <= asOf)
                    .forEach(a -> streamed.add(a.get("alert_id").asText()));
        }
        assertThat(streamed).isNotEmpty();
        assertThat(backtested).isEqualTo(streamed);
    }

    @Test
    void everyAlertInTheIndexIsOnTheAlertsTopicInAvroForTheDeliveryToRead() {
        Set<String> indexed = new TreeSet<>();
        for (String rule : concat(OVERSIGHT_RULES, JOURNEY_RULES)) {
            anyAlerts(rule).forEach(a -> indexed.add(a.get("alert_id").asText()));
        }
        Set<String> onTopic = new TreeSet<>();
        DeadLetterTopic.records(EventStream.ALERTS.topic(PREFIX), org.safepath.records.Alert.getClassSchema())
                .forEach(r -> onTopic.add(r.get("alert_id").toString()));
        assertThat(indexed).isNotEmpty();
        assertThat(onTopic).isEqualTo(indexed);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void noAlertOrDocumentNamesAPersonNorCarriesTheirPseudonym() {
        Set<String> identifiers = new TreeSet<>();
        org.safepath.jobs.ingest.Pseudonymiser pseudonyms = org.safepath.jobs.ingest.Pseudonymiser.withKey(
                PipelineJobs.PSEUDONYM_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (SpecificRecord r : records) {
            if (r.getSchema().getField("person") != null && r.get(r.getSchema().getField("person").pos()) instanceof
                    org.safepath.events.PersonIdentifier p) {
                identifiers.addAll(People.clearIdentifiers(p));
                identifiers.add(p.getNhsNumber() != null ? pseudonyms.ofNhsNumber(p.getNhsNumber())
                        : pseudonyms.ofCouncilPersonId(String.valueOf(r.get(r.getSchema().getField("local_authority").pos())), p.getCouncilPersonId()));
            }
        }
        String everything = Elastic.search(stack.elasticsearchUrl(), SafePathIndices.ALERTS, "{\"match_all\":{}}").toString()
                + Elastic.search(stack.elasticsearchUrl(), SafePathIndices.CURRENT, ours).toString();
        assertThat(identifiers).hasSizeGreaterThan(1000).noneMatch(everything::contains);
    }
}
