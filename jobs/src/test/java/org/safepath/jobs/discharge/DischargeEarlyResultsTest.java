package org.safepath.jobs.discharge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.connectors.elasticsearch.SafePathIndices;

/**
 * Live means seconds: a new readiness shows before the watermark passes it, and the exact values that follow
 * replace the early ones, including when an event arrived out of order and the early guess was wrong.
 */
class DischargeEarlyResultsTest extends DischargeTimeline {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The clock of a live run: the events below happen "now". */
    private static final long NOW = MONDAY_9AM + 30 * DAY;

    private static KeyedOneInputStreamOperatorTestHarness<String, DischargeEvent, DischargeFact> tracker() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new DischargeEpisodeTracker(Duration.ofDays(30), Duration.ofDays(1))), (DischargeEvent e) -> e.personRef, Types.STRING);
        h.open();
        h.setProcessingTime(NOW);
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> aggregator() throws Exception {
        var h = aggregatorHarness();
        h.open();
        h.setProcessingTime(NOW);
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, DischargeEvent, DischargeFact> h, DischargeEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.occurredAt));
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> h, DischargeFact f)
            throws Exception {
        h.processElement(new StreamRecord<>(f, f.factTime));
    }

    /** nctr_in_bed of every current document written so far, in order: (as_of, value). */
    private static List<long[]> inBedWrites(KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> h)
            throws Exception {
        List<long[]> writes = new java.util.ArrayList<>();
        for (IndexOperation op : documents(h)) {
            JsonNode doc = JSON.readTree(op.source());
            if (op.index().equals(SafePathIndices.CURRENT) && doc.get("indicator").asText().equals("discharge.nctr_in_bed")) {
                writes.add(new long[] {op.version(), doc.get("value").asLong()});
            }
        }
        return writes;
    }

    /** For each as_of at which nctr_in_bed was written: whether that document was marked provisional. */
    private static Map<Long, Boolean> provisionalFlags(KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> h)
            throws Exception {
        Map<Long, Boolean> flags = new LinkedHashMap<>();
        for (IndexOperation op : documents(h)) {
            JsonNode doc = JSON.readTree(op.source());
            if (op.index().equals(SafePathIndices.CURRENT) && doc.get("indicator").asText().equals("discharge.nctr_in_bed")) {
                flags.put(op.version(), doc.path("provisional").asBoolean(false));
            }
        }
        return flags;
    }

    /** What Elasticsearch ends up holding: for each document id, the write with the highest as_of (external_gte). */
    private static Map<String, Double> stored(KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> h)
            throws Exception {
        Map<String, IndexOperation> newest = new LinkedHashMap<>();
        for (IndexOperation op : documents(h)) {
            if (op.index().equals(SafePathIndices.CURRENT)) {
                newest.merge(op.id(), op, (a, b) -> b.version() >= a.version() ? b : a);
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (IndexOperation op : newest.values()) {
            JsonNode doc = JSON.readTree(op.source());
            if (!doc.get("dimensions").has("delay_reason_family")) {
                values.put(doc.get("indicator").asText(), doc.get("value").asDouble());
            }
        }
        return values;
    }

    @Test
    void aPersonReadyForDischargeNowGivesAProvisionalFactAtOnceAndTheExactOneWhenTheWatermarkPasses() throws Exception {
        var tracker = tracker();
        tracker.processWatermark(NOW - 2 * 60_000);
        send(tracker, admitted("ann", NOW - 3 * DAY, "RNZ02"));
        send(tracker, ready("ann", NOW, "RNZ02", "P1"));

        List<DischargeFact> early = tracker.extractOutputValues();
        assertThat(early).hasSize(1);
        assertThat(early.get(0).provisional).isTrue();
        assertThat(early.get(0).readyAt).isEqualTo(NOW);

        tracker.processWatermark(NOW);
        List<DischargeFact> all = tracker.extractOutputValues();
        assertThat(all).hasSize(2);
        assertThat(all.get(1).provisional).isFalse();
        assertThat(all.get(1).readyAt).isEqualTo(NOW);
        assertThat(tracker.getSideOutput(org.safepath.jobs.primitives.DeadLetters.TAG)).isNull();
        tracker.close();
    }

    @Test
    void aDischargeArrivingBeforeItsReadinessGivesNoEarlyGuessAndNoDeadLetterEarly() throws Exception {
        var tracker = tracker();
        tracker.processWatermark(NOW - 2 * 60_000);
        send(tracker, discharged("bob", NOW, "RD130"));
        assertThat(tracker.extractOutputValues()).isEmpty();
        // The readiness half a minute earlier arrives next: both are now applied early, in event-time order.
        send(tracker, ready("bob", NOW - 30_000, "RD130", "P1"));
        List<DischargeFact> early = tracker.extractOutputValues();
        assertThat(early).extracting(f -> f.endedAt).containsExactly(null, NOW);
        assertThat(early).allMatch(f -> f.provisional);
        tracker.processWatermark(NOW);
        assertThat(tracker.getSideOutput(org.safepath.jobs.primitives.DeadLetters.TAG)).isNull();
        tracker.close();
    }

    @Test
    void historyBeingReadGivesNoEarlyFacts() throws Exception {
        var tracker = tracker();
        tracker.processWatermark(NOW - 20 * DAY - 2 * 60_000);
        send(tracker, ready("cat", NOW - 20 * DAY, "RNZ02", "P1"));
        assertThat(tracker.extractOutputValues()).isEmpty();
        tracker.close();
    }

    @Test
    void theSitesValueCountsANewReadinessWithinASecondAndTheExactValueFollows() throws Exception {
        var agg = aggregator();
        DischargeFact yesterday = DischargeFact.episode(LA, "RNZ02", "P1", "ann#1", NOW - DAY, null, false, "CAPACITY", NOW - DAY);
        send(agg, yesterday);
        agg.processWatermark(NOW - 60_000);
        assertThat(stored(agg)).containsEntry("discharge.nctr_in_bed", 1.0);

        DischargeFact early = DischargeFact.episode(LA, "RNZ02", "P1", "bob#1", NOW - 5_000, null, false, "CAPACITY", NOW - 5_000);
        early.provisional = true;
        send(agg, early);
        // Written at once, as of the readiness time, before any watermark passes it.
        assertThat(inBedWrites(agg).get(inBedWrites(agg).size() - 1)).containsExactly(NOW - 5_000, 2);
        assertThat(provisionalFlags(agg)).as("the early document says it is provisional").containsEntry(NOW - 5_000, true);

        DischargeFact exact = DischargeFact.episode(LA, "RNZ02", "P1", "bob#1", NOW - 5_000, null, false, "CAPACITY", NOW - 5_000);
        send(agg, exact);
        agg.processWatermark(NOW + 60_000);
        assertThat(stored(agg)).containsEntry("discharge.nctr_in_bed", 2.0);
        long exactStep = org.safepath.jobs.primitives.RollingCounter.roundUp(NOW - 5_000, 60_000);
        assertThat(inBedWrites(agg)).anySatisfy(w -> assertThat(w).containsExactly(exactStep, 2));
        assertThat(provisionalFlags(agg)).as("the exact document is not provisional").containsEntry(exactStep, false);
        agg.close();
    }

    @Test
    void anEarlyGuessThatTurnsOutWrongIsReplacedByTheExactValue() throws Exception {
        var agg = aggregator();
        agg.processWatermark(NOW - 60_000);
        // A readiness shown early, whose event is then dead-lettered upstream: no exact fact ever comes.
        DischargeFact guess = DischargeFact.episode(LA, "RNZ02", "P1", "dan#1", NOW - 10_000, null, false, "CAPACITY", NOW - 10_000);
        guess.provisional = true;
        send(agg, guess);
        assertThat(stored(agg)).containsEntry("discharge.nctr_in_bed", 1.0);

        agg.processWatermark(NOW + 60_000);
        assertThat(stored(agg)).containsEntry("discharge.nctr_in_bed", 0.0);
        assertThat(agg.numKeyedStateEntries()).isZero();
        agg.close();
    }

    @Test
    void aBusyKeyWritesEarlyValuesAtMostOnceASecond() throws Exception {
        var agg = aggregator();
        agg.processWatermark(NOW - 60_000);
        for (int i = 0; i < 5; i++) {
            DischargeFact f = DischargeFact.episode(LA, "RNZ02", "P1", "p" + i, NOW - 5_000 + i, null, false, "CAPACITY", NOW - 5_000 + i);
            f.provisional = true;
            send(agg, f);
        }
        assertThat(inBedWrites(agg)).hasSize(1);
        agg.setProcessingTime(NOW + 1_000);
        List<long[]> writes = inBedWrites(agg);
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1)).containsExactly(NOW - 5_000 + 4, 5);
        agg.close();
    }
}
