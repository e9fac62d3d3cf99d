package org.safepath.integration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.safepath.events.HospitalDischargeEvent;

/**
 * A plain reading of INDICATORS.md "Hospital discharge", written without the job's code: replays each
 * person's events in time order into episodes, then counts as of T. The integration tests compare the job's
 * documents with it.
 */
final class DischargeReference {

    static final long DAY = 86_400_000L;

    record Episode(String la, String site, String pathway, String reason, long ready, Long end, boolean discharged) {
    }

    record Readmission(String la, String site, String pathway, long at) {
    }

    private final List<Episode> episodes = new ArrayList<>();
    private final List<Readmission> readmissions = new ArrayList<>();

    /** Events as applied by the pipeline: unique by id, valid ones only. */
    DischargeReference(List<HospitalDischargeEvent> events) {
        Map<String, HospitalDischargeEvent> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.getEventId(), e));
        Map<String, List<HospitalDischargeEvent>> byPerson = new HashMap<>();
        for (HospitalDischargeEvent e : unique.values()) {
            byPerson.computeIfAbsent(People.key(e.getPerson()), k -> new ArrayList<>()).add(e);
        }
        for (List<HospitalDischargeEvent> timeline : byPerson.values()) {
            timeline.sort(Comparator.comparing(HospitalDischargeEvent::getOccurredAt).thenComparing(HospitalDischargeEvent::getEventId));
            replay(timeline);
        }
    }

    private void replay(List<HospitalDischargeEvent> timeline) {
        boolean open = false;
        String la = null, site = null, pathway = null, reason = null;
        Long ready = null;
        Long lastDischarge = null;
        String lastLa = null, lastSite = null, lastPathway = null;
        for (HospitalDischargeEvent e : timeline) {
            long t = e.getOccurredAt().toEpochMilli();
            switch (e.getEventType()) {
                case ADMITTED -> {
                    if (open && ready != null) {
                        episodes.add(new Episode(la, site, pathway, reason, ready, t, false));
                    }
                    if (lastDischarge != null && lastDischarge < t && t - lastDischarge <= 30 * DAY) {
                        readmissions.add(new Readmission(lastLa, lastSite, lastPathway, t));
                    }
                    open = true;
                    ready = null;
                    la = e.getLocalAuthority();
                    site = e.getHospitalSite();
                }
                case DISCHARGE_READY -> {
                    open = true;
                    if (ready == null) {
                        ready = t;
                    }
                    la = e.getLocalAuthority();
                    site = e.getHospitalSite();
                    pathway = e.getPathway().name();
                    reason = e.getDelayReasonFamily() == null ? "NOT_RECORDED" : e.getDelayReasonFamily().name();
                }
                case DISCHARGED -> {
                    if (open && ready != null && ready <= t) {
                        episodes.add(new Episode(la, site, pathway, reason, ready, t, true));
                        lastDischarge = t;
                        lastLa = la;
                        lastSite = site;
                        lastPathway = pathway;
                        open = false;
                        ready = null;
                    }
                }
                case EPISODE_CLOSED -> {
                    if (open && ready != null) {
                        episodes.add(new Episode(la, site, pathway, reason, ready, t, false));
                    }
                    open = false;
                    ready = null;
                }
                default -> throw new IllegalStateException(e.getEventType().name());
            }
        }
        if (open && ready != null) {
            episodes.add(new Episode(la, site, pathway, reason, ready, null, false));
        }
    }

    /** Indicator id (with ":reason" for the by-reason split) to value, for one site and pathway as of t. */
    Map<String, Double> asOf(long t, String la, String site, String pathway) {
        // "ALL" is the site across its pathways (where INDICATORS.md's per-site RAG applies).
        boolean all = pathway.equals("ALL");
        List<Episode> mine = episodes.stream()
                .filter(e -> e.la().equals(la) && e.site().equals(site) && (all || e.pathway().equals(pathway))).toList();
        Map<String, Double> v = new TreeMap<>();
        List<Episode> inBed = mine.stream().filter(e -> e.ready() <= t && (e.end() == null || e.end() > t)).toList();
        v.put("discharge.nctr_in_bed", (double) inBed.size());
        v.put("discharge.nctr_delay_7_plus", (double) inBed.stream().filter(e -> t - e.ready() >= 7 * DAY).count());
        v.put("discharge.nctr_delay_14_plus", (double) inBed.stream().filter(e -> t - e.ready() >= 14 * DAY).count());
        v.put("discharge.nctr_delay_21_plus", (double) inBed.stream().filter(e -> t - e.ready() >= 21 * DAY).count());
        for (String r : List.of("HOSPITAL_PROCESS", "CARE_TRANSFER_HUB_PROCESS", "CAPACITY", "INTERFACE_PROCESS",
                "WELLBEING_CONCERNS", "NOT_RECORDED")) {
            v.put("discharge.nctr_by_delay_reason:" + r, (double) inBed.stream().filter(e -> e.reason().equals(r)).count());
        }
        v.put("discharge.discharges_7d", (double) mine.stream()
                .filter(e -> e.discharged() && e.end() > t - 7 * DAY && e.end() <= t).count());
        List<Double> delays = mine.stream().filter(e -> e.discharged() && e.end() > t - 28 * DAY && e.end() <= t)
                .map(e -> (e.end() - e.ready()) / (double) DAY).sorted().toList();
        double median = delays.isEmpty() ? 0 : delays.size() % 2 == 1 ? delays.get(delays.size() / 2)
                : (delays.get(delays.size() / 2 - 1) + delays.get(delays.size() / 2)) / 2;
        v.put("discharge.median_delay_days_28d", median);
        double bedDays = 0;
        for (Episode e : mine) {
            if (e.ready() > t) {
                continue;
            }
            long from = Math.max(e.ready(), t - 7 * DAY);
            long to = e.end() == null || e.end() > t ? t : e.end();
            bedDays += Math.max(0, to - from) / (double) DAY;
        }
        v.put("discharge.delayed_bed_days_7d", bedDays);
        v.put("discharge.readmissions_30d", (double) readmissions.stream()
                .filter(r -> r.la().equals(la) && r.site().equals(site) && (all || r.pathway().equals(pathway)))
                .filter(r -> r.at() > t - 30 * DAY && r.at() <= t).count());
        return v;
    }

    /**
     * Waits until the discharge documents {@code query} selects have settled: all exact (no early value left), none
     * as of before {@code minAsOf}, and the same count, oldest instant and history count three polls running.
     */
    static void awaitSettled(String esUrl, String query, long minAsOf, java.time.Duration within) throws InterruptedException {
        String current = org.safepath.connectors.elasticsearch.SafePathIndices.CURRENT;
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        int stableFor = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(2000);
            com.fasterxml.jackson.databind.JsonNode agg = Elastic.request(esUrl, "POST", "/" + current + "/_search",
                    "{\"size\":0,\"query\":" + query + ",\"aggs\":{\"min\":{\"min\":{\"field\":\"as_of\"}}}}");
            long history = Elastic.count(esUrl, org.safepath.connectors.elasticsearch.SafePathIndices.HISTORY_ALIAS, query);
            long provisional = Elastic.count(esUrl, current, "{\"bool\":{\"filter\":[{\"term\":{\"provisional\":true}}," + query + "]}}");
            double min = agg.path("aggregations").path("min").path("value").asDouble(0);
            String now = agg.path("hits").path("total").path("value").asText() + "/" + min + "/" + history;
            // Early values are replaced by exact ones within about a minute: compare exact values only.
            stableFor = now.equals(last) && min >= minAsOf && provisional == 0 ? stableFor + 1 : 0;
            last = now;
            if (stableFor >= 3) {
                return;
            }
        }
        throw new AssertionError("Indicators did not settle (documents/oldest as of/history: " + last + ")");
    }

    /** A discharge document of the current index or history holds the reference's value as of its instant. */
    void assertMatches(com.fasterxml.jackson.databind.JsonNode doc, long asOf) {
        com.fasterxml.jackson.databind.JsonNode dims = doc.get("dimensions");
        Map<String, Double> expected = asOf(asOf, dims.get("local_authority").asText(),
                dims.get("hospital_site").asText(), dims.get("pathway").asText());
        String id = doc.get("indicator").asText();
        String key = dims.has("delay_reason_family") ? id + ":" + dims.get("delay_reason_family").asText() : id;
        org.assertj.core.api.Assertions.assertThat(doc.get("value").asDouble())
                .as("%s %s as of %s", key, dims, java.time.Instant.ofEpochMilli(asOf))
                .isCloseTo(expected.get(key), org.assertj.core.api.Assertions.within(1e-6));
    }
}
