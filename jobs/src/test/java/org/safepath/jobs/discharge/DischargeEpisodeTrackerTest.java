package org.safepath.jobs.discharge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.records.DeadLetterReason;

class DischargeEpisodeTrackerTest extends DischargeTimeline {

    private KeyedOneInputStreamOperatorTestHarness<String, DischargeEvent, DischargeFact> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DischargeEpisodeTracker(Duration.ofDays(30))), e -> e.personRef, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(DischargeEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.occurredAt));
    }

    private List<DischargeFact> facts() {
        return harness.extractOutputValues();
    }

    @Test
    void aSpellFromAdmissionToDischargeTellsTheSiteAndPathwayWhenReadinessStartsAndWhenItEnds() throws Exception {
        send(admitted("ann", MONDAY_9AM, "RNZ02"));
        send(ready("ann", MONDAY_9AM + 3 * DAY, "RNZ02", "P3"));
        send(discharged("ann", MONDAY_9AM + 12 * DAY, "RNZ02"));
        harness.processWatermark(MONDAY_9AM + 12 * DAY);

        List<DischargeFact> facts = facts();
        assertThat(facts).hasSize(2);
        assertThat(facts.get(0).key()).isEqualTo(org.safepath.jobs.primitives.DimensionKey.of("local_authority", "E06000054", "hospital_site", "RNZ02", "pathway", "P3"));
        assertThat(facts.get(0).readyAt).isEqualTo(MONDAY_9AM + 3 * DAY);
        assertThat(facts.get(0).endedAt).isNull();
        assertThat(facts.get(1).endedAt).isEqualTo(MONDAY_9AM + 12 * DAY);
        assertThat(facts.get(1).discharged).isTrue();
    }

    @Test
    void aDischargeThatArrivesBeforeItsReadinessEventIsStillAppliedInEventTimeOrder() throws Exception {
        send(discharged("bob", MONDAY_9AM + 5 * DAY, "RD130"));
        send(ready("bob", MONDAY_9AM + DAY, "RD130", "P1"));
        harness.processWatermark(MONDAY_9AM + 6 * DAY);

        assertThat(facts()).extracting(f -> f.endedAt).containsExactly(null, MONDAY_9AM + 5 * DAY);
        assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
    }

    @Test
    void aDischargeWithNoReadinessBeforeItIsDeadLetteredWithWhereItCameFrom() throws Exception {
        send(admitted("cat", MONDAY_9AM, "RNZ02"));
        send(discharged("cat", MONDAY_9AM + DAY, "RNZ02"));
        send(ready("cat", MONDAY_9AM + 2 * DAY, "RNZ02", "P1"));
        harness.processWatermark(MONDAY_9AM + 3 * DAY);

        List<DeadLetterRecord> dead = harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason).isEqualTo(DeadLetterReason.OUT_OF_ORDER);
        assertThat(dead.get(0).detail).contains("Discharge before readiness");
        assertThat(dead.get(0).sourceTopic).isEqualTo("safepath.hospital-discharge");
        assertThat(dead.get(0).raw).as("no raw bytes: they would carry the person in clear").isNull();
    }

    @Test
    void anAdmissionWithin30DaysOfADischargeIsAFailedDischargeOfTheEarlierSiteAndPathway() throws Exception {
        send(ready("dan", MONDAY_9AM, "RNZ02", "P1"));
        send(discharged("dan", MONDAY_9AM + 2 * DAY, "RNZ02"));
        send(admitted("dan", MONDAY_9AM + 2 * DAY + 30 * DAY, "RD130"));
        harness.processWatermark(MONDAY_9AM + 40 * DAY);

        DischargeFact readmission = facts().stream().filter(f -> f.kind == DischargeFact.Kind.READMISSION).findFirst().orElseThrow();
        assertThat(readmission.key()).isEqualTo(org.safepath.jobs.primitives.DimensionKey.of("local_authority", "E06000054", "hospital_site", "RNZ02", "pathway", "P1"));
        assertThat(readmission.readmittedAt).isEqualTo(MONDAY_9AM + 32 * DAY);
    }

    @Test
    void anAdmission31DaysAfterADischargeIsNotAFailedDischarge() throws Exception {
        send(ready("eve", MONDAY_9AM, "RNZ02", "P1"));
        send(discharged("eve", MONDAY_9AM + DAY, "RNZ02"));
        send(admitted("eve", MONDAY_9AM + 32 * DAY, "RNZ02"));
        harness.processWatermark(MONDAY_9AM + 40 * DAY);

        assertThat(facts()).noneMatch(f -> f.kind == DischargeFact.Kind.READMISSION);
    }

    @Test
    void aPersonIsForgottenOnceNoEpisodeIsOpenAndTheReadmissionWindowHasPassed() throws Exception {
        send(ready("fay", MONDAY_9AM, "RNZ02", "P0"));
        send(discharged("fay", MONDAY_9AM + DAY, "RNZ02"));
        harness.processWatermark(MONDAY_9AM + 30 * DAY);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(MONDAY_9AM + 31 * DAY + 1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
