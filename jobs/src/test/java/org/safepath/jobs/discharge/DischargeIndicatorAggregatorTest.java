package org.safepath.jobs.discharge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.connectors.elasticsearch.SafePathIndices;

class DischargeIndicatorAggregatorTest extends DischargeTimeline {

    private static final ObjectMapper JSON = new ObjectMapper();
    private KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> harness;

    @BeforeEach
    void open() throws Exception {
        harness = aggregatorHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void episode(String id, long readyAt, Long endedAt, boolean discharged, long factTime) throws Exception {
        DischargeFact f = DischargeFact.episode(LA, "RNZ02", "P1", id, readyAt, endedAt, discharged, "CAPACITY", factTime);
        harness.processElement(new StreamRecord<>(f, factTime));
    }

    /**
     * The exact values written as of exactly {@code asOf}: indicator to value. A current document, or the hour's
     * history (where an hour's value goes when the next hour's replaces it in the same advance of the watermark).
     */
    private Map<String, Double> currentAsOf(long asOf) throws Exception {
        Map<String, Double> values = new LinkedHashMap<>();
        for (IndexOperation op : documents(harness)) {
            JsonNode doc = JSON.readTree(op.source());
            boolean exact = op.index().equals(SafePathIndices.CURRENT) || op.index().startsWith(SafePathIndices.HISTORY_PREFIX);
            if (exact && op.version() == asOf && !doc.get("dimensions").has("delay_reason_family")) {
                values.put(doc.get("indicator").asText(), doc.get("value").asDouble());
            }
        }
        return values;
    }

    @Test
    void anOpenEpisodeCrosses7And14And21DaysWithNoNewEvent() throws Exception {
        episode("ann", MONDAY_9AM, null, false, MONDAY_9AM);
        harness.processWatermark(MONDAY_9AM + 7 * DAY - 1);
        assertThat(currentAsOf(MONDAY_9AM)).containsEntry("discharge.nctr_in_bed", 1.0).containsEntry("discharge.nctr_delay_7_plus", 0.0);

        harness.processWatermark(MONDAY_9AM + 7 * DAY);
        assertThat(currentAsOf(MONDAY_9AM + 7 * DAY)).containsEntry("discharge.nctr_delay_7_plus", 1.0)
                .containsEntry("discharge.nctr_delay_14_plus", 0.0);

        harness.processWatermark(MONDAY_9AM + 21 * DAY);
        assertThat(currentAsOf(MONDAY_9AM + 14 * DAY)).containsEntry("discharge.nctr_delay_14_plus", 1.0);
        assertThat(currentAsOf(MONDAY_9AM + 21 * DAY)).containsEntry("discharge.nctr_delay_21_plus", 1.0);
    }

    @Test
    void theRedAmberGreenStatusIsTheSitesAcrossPathwaysNotEachPathways() throws Exception {
        // Five people 21+ days at one site, spread over pathways: the site is red; no pathway row carries a status.
        for (int i = 0; i < 5; i++) {
            String pathway = "P" + (i % 4);
            for (String p : List.of(pathway, DischargeFact.ALL_PATHWAYS)) {
                DischargeFact f = DischargeFact.episode(LA, "RNZ02", p, "person-" + i, MONDAY_9AM, null, false, "CAPACITY", MONDAY_9AM);
                harness.processElement(new StreamRecord<>(f, MONDAY_9AM));
            }
        }
        harness.processWatermark(MONDAY_9AM + 21 * DAY);
        List<JsonNode> at21 = new java.util.ArrayList<>();
        for (IndexOperation op : documents(harness)) {
            JsonNode doc = JSON.readTree(op.source());
            if (op.version() == MONDAY_9AM + 21 * DAY && doc.get("indicator").asText().equals("discharge.nctr_delay_21_plus")
                    && op.index().equals(SafePathIndices.CURRENT)) {
                at21.add(doc);
            }
        }
        assertThat(at21).filteredOn(d -> d.at("/dimensions/pathway").asText().equals("ALL"))
                .singleElement().satisfies(d -> {
                    assertThat(d.get("value").asDouble()).isEqualTo(5.0);
                    assertThat(d.get("rag").asText()).isEqualTo("RED");
                });
        assertThat(at21).filteredOn(d -> !d.at("/dimensions/pathway").asText().equals("ALL"))
                .hasSize(4).allSatisfy(d -> assertThat(d.get("rag").asText()).isEqualTo("NONE"));
    }

    @Test
    void aDischargeCountsInTheSevenDayWindowUntilExactlySevenDaysLater() throws Exception {
        long discharge = MONDAY_9AM + 3 * DAY;
        episode("bob", MONDAY_9AM, discharge, true, discharge);
        harness.processWatermark(discharge + 7 * DAY - 1);
        assertThat(currentAsOf(discharge)).containsEntry("discharge.discharges_7d", 1.0).containsEntry("discharge.nctr_in_bed", 0.0);

        harness.processWatermark(discharge + 7 * DAY);
        // The window is (T - 7d, T]: at T = discharge + 7d the discharge sits on the open edge.
        assertThat(currentAsOf(discharge + 7 * DAY)).containsEntry("discharge.discharges_7d", 0.0);
    }

    @Test
    void theMedianDelayOfFourDischargesIsTheMeanOfTheMiddleTwo() throws Exception {
        long t = MONDAY_9AM + 20 * DAY;
        int i = 0;
        for (int delayDays : new int[]{10, 1, 4, 2}) {
            long end = t - (i++) * HOUR;
            episode("p" + i, end - delayDays * DAY, end, true, end);
        }
        harness.processWatermark(t);
        // delays 1, 2, 4, 10 days: median (2 + 4) / 2 = 3.
        assertThat(currentAsOf(t).get("discharge.median_delay_days_28d")).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void delayedBedDaysCountOnlyTheOverlapWithTheLastSevenDays() throws Exception {
        // Open since day 0: 7 days of the window at day 10. Ready at day 8, home at day 9: 1 day. Total 8.
        episode("open", MONDAY_9AM, null, false, MONDAY_9AM);
        episode("short", MONDAY_9AM + 8 * DAY, MONDAY_9AM + 9 * DAY, true, MONDAY_9AM + 9 * DAY);
        harness.processWatermark(MONDAY_9AM + 10 * DAY);
        assertThat(currentAsOf(MONDAY_9AM + 10 * DAY).get("discharge.delayed_bed_days_7d")).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void historyHoldsTheValueAtTheStartOfEachHourInMonthlyIndices() throws Exception {
        episode("ann", MONDAY_9AM + 10 * 60_000L, null, false, MONDAY_9AM + 10 * 60_000L);
        harness.processWatermark(MONDAY_9AM + 3 * HOUR);
        List<IndexOperation> history = documents(harness).stream()
                .filter(op -> op.index().startsWith("safepath-history-")).toList();
        assertThat(history).extracting(IndexOperation::version).containsOnly(MONDAY_9AM + HOUR, MONDAY_9AM + 2 * HOUR, MONDAY_9AM + 3 * HOUR);
        assertThat(history).extracting(IndexOperation::index).containsOnly("safepath-history-2026.03");
        assertThat(history).hasSize(3 * 14);
    }

    @Test
    void historyStartsAtTheEarliestEpisodeEvenWhenALaterOneArrivesFirst() throws Exception {
        // Two tracker subtasks can be days apart: the later fact reaches this key first, the watermark covers both.
        episode("later", MONDAY_9AM + 2 * DAY + 10 * 60_000L, null, false, MONDAY_9AM + 2 * DAY + 10 * 60_000L);
        episode("earlier", MONDAY_9AM + 10 * 60_000L, null, false, MONDAY_9AM + 10 * 60_000L);
        harness.processWatermark(MONDAY_9AM + 3 * DAY);
        List<Long> hours = documents(harness).stream()
                .filter(op -> op.index().startsWith("safepath-history-") && op.sourceAsString().contains("\"discharge.nctr_in_bed\""))
                .map(IndexOperation::version).toList();
        assertThat(hours).hasSize(72).startsWith(MONDAY_9AM + HOUR).endsWith(MONDAY_9AM + 3 * DAY).doesNotHaveDuplicates();
    }

    @Test
    void aKeyWithNothingLeftWritesZerosAndKeepsNoState() throws Exception {
        episode("ann", MONDAY_9AM, MONDAY_9AM + DAY, true, MONDAY_9AM + DAY);
        harness.processWatermark(MONDAY_9AM + 40 * DAY);
        assertThat(harness.numKeyedStateEntries()).isZero();
        IndexOperation last = documents(harness).get(documents(harness).size() - 1);
        assertThat(JSON.readTree(last.source()).get("value").asDouble()).isZero();
    }

    @Test
    void aLateEventRewritesTheHoursItChanged() throws Exception {
        episode("early", MONDAY_9AM, null, false, MONDAY_9AM);
        harness.processWatermark(MONDAY_9AM + 5 * HOUR);
        // Arrives after the watermark passed its time: the 3 hours since it are written again, now with it.
        episode("late", MONDAY_9AM + 2 * HOUR + 30 * 60_000L, null, false, MONDAY_9AM + 2 * HOUR + 30 * 60_000L);
        long rewritten = documents(harness).stream()
                .filter(op -> op.index().startsWith("safepath-history-") && op.sourceAsString().contains("\"discharge.nctr_in_bed\""))
                .filter(op -> op.sourceAsString().contains("\"value\":2.0")).count();
        assertThat(rewritten).isEqualTo(3);
    }
}
