package org.safepath.jobs.discharge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * The hourly evaluation of a busy site reads its episodes as columns sorted by end. The values must be those of a
 * plain scan of every episode (the definitions the hand-worked cases of {@link DischargeIndicatorAggregatorTest} check),
 * whatever the order of starts, ends, corrections, moves and forgetting.
 */
class EpisodeColumnsTest extends DischargeTimeline {

    private static final IndicatorCatalogue CATALOGUE = IndicatorCatalogue.defaults();
    private static final DimensionKey KEY = DimensionKey.of("local_authority", LA, "hospital_site", "RNZ02", "pathway", "ALL");
    private final DischargeModel model = new DischargeModel(CATALOGUE);
    private final DischargeIndicators scan = new DischargeIndicators(CATALOGUE);

    /** The values of a scan of every episode: the reference. */
    private List<IndicatorValue> scanned(long t, DischargeState state) {
        return scan.asOf(t, KEY, new ArrayList<>(state.episodes.values()), new ArrayList<>(state.readmissions.values()));
    }

    /** Hours in a 70-day span: ends, readiness and evaluations fall on each other's window edges often. */
    private static long hour(Random random) {
        return MONDAY_9AM + random.nextInt(70 * 24) * HOUR;
    }

    private static String reason(Random random) {
        return DischargeIndicators.REASON_FAMILIES.get(random.nextInt(DischargeIndicators.REASON_FAMILIES.size()));
    }

    /**
     * One random change to the state: a start, an end or a corrected end (times that often tie), a reopening, a move
     * away, a readmission or a forgetting. False, changing nothing, about one time in twelve: the caller evaluates then.
     */
    private boolean change(DischargeState state, Random random, List<String> ids, int step) {
        int op = random.nextInt(100);
        if (op < 35 || ids.isEmpty()) {
            String id = "ep" + step;
            ids.add(id);
            model.apply(state, DischargeFact.episode(LA, "RNZ02", "ALL", id, hour(random), null, false, reason(random), 0));
        } else if (op < 65) {
            // An episode ends (or its end is corrected): a discharge or a close, at a time that may tie with others.
            String id = ids.get(random.nextInt(ids.size()));
            DischargeFact was = state.episodes.get(id);
            long ready = was == null ? hour(random) : was.readyAt;
            long end = ready + random.nextInt(40 * 24) * HOUR;
            model.apply(state, DischargeFact.episode(LA, "RNZ02", "ALL", id, ready, end, random.nextBoolean(), reason(random), 0));
        } else if (op < 75) {
            // Reopened, or its reason changed while open.
            String id = ids.get(random.nextInt(ids.size()));
            model.apply(state, DischargeFact.episode(LA, "RNZ02", "ALL", id, hour(random), null, false, reason(random), 0));
        } else if (op < 82) {
            DischargeFact moved = new DischargeFact();
            moved.kind = DischargeFact.Kind.EPISODE_MOVED_AWAY;
            moved.episodeId = ids.get(random.nextInt(ids.size()));
            model.apply(state, moved);
        } else if (op < 90) {
            DischargeFact readmission = new DischargeFact();
            readmission.kind = DischargeFact.Kind.READMISSION;
            readmission.readmissionEventId = "r" + step;
            readmission.readmittedAt = hour(random);
            model.apply(state, readmission);
        } else if (op < 92) {
            model.forgetBefore(state, hour(random) - 30 * DAY);
        } else {
            return false;
        }
        return true;
    }

    @Test
    void columnsGiveTheValuesOfAScanWhateverHappensToTheEpisodes() {
        Random random = new Random(7);
        DischargeState state = model.emptyState();
        List<String> ids = new ArrayList<>();
        int evaluations = 0;
        for (int step = 0; step < 4000; step++) {
            if (!change(state, random, ids, step)) {
                long t = random.nextInt(4) == 0 ? hour(random) + random.nextInt(3_600_000) : hour(random);
                assertThat(model.valuesAsOf(t, KEY, state)).as("as of step %d", step).isEqualTo(scanned(t, state));
                evaluations++;
            }
        }
        assertThat(state.columns).as("the columns were in use").isNotNull();
        assertThat(state.columns.size()).isEqualTo(state.episodes.size());
        assertThat(evaluations).isGreaterThan(200);
        for (int i = 0; i < 300; i++) {
            long t = MONDAY_9AM + i * 6 * HOUR;
            assertThat(model.valuesAsOf(t, KEY, state)).as("as of hour %d", i * 6).isEqualTo(scanned(t, state));
        }
    }

    @Test
    void anEarlyCopyChangesApartFromTheStateItWasCopiedFrom() {
        Random random = new Random(11);
        DischargeState state = model.emptyState();
        List<String> ids = new ArrayList<>();
        for (int step = 0; step < 1500; step++) {
            change(state, random, ids, step);
        }
        model.valuesAsOf(MONDAY_9AM, KEY, state);
        model.valuesAsOf(MONDAY_9AM, KEY, state);
        assertThat(state.columns).as("the state has columns").isNotNull();
        List<Long> instants = new ArrayList<>();
        List<List<IndicatorValue>> before = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t = MONDAY_9AM + i * 34 * HOUR;
            instants.add(t);
            before.add(scanned(t, state));
        }

        DischargeState copy = model.copyOf(state,
                TypeInformation.of(DischargeState.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        assertThat(copy.columns).as("the copy reads columns too").isNotNull().isNotSameAs(state.columns);
        List<String> copyIds = new ArrayList<>(ids);
        int evaluations = 0;
        for (int step = 1500; step < 3000; step++) {
            if (!change(copy, random, copyIds, step)) {
                long t = hour(random);
                assertThat(model.valuesAsOf(t, KEY, copy)).as("the copy as of step %d", step).isEqualTo(scanned(t, copy));
                evaluations++;
            }
        }
        assertThat(evaluations).isGreaterThan(50);
        assertThat(copy.columns).as("the copy kept its columns").isNotNull();
        for (int i = 0; i < instants.size(); i++) {
            assertThat(scanned(instants.get(i), state)).as("the original's episodes as of %s", instants.get(i))
                    .isEqualTo(before.get(i));
            assertThat(model.valuesAsOf(instants.get(i), KEY, state)).as("the original's columns").isEqualTo(before.get(i));
        }
    }

    @Test
    void aSiteOfAHundredEpisodesGivesTheHandCountedValuesFromItsColumns() {
        // 100 people ready at 09:00 on each of 100 days; person i leaves, discharged, i days later (person 0 the same day,
        // as a close: not a discharge). As of day 100, 09:00: people 50..99 still in a bed? Person i ends on day 2i.
        DischargeState state = model.emptyState();
        for (int i = 0; i < 100; i++) {
            long ready = MONDAY_9AM + i * DAY;
            Long end = 2L * i < 100 ? MONDAY_9AM + 2L * i * DAY : null;
            model.apply(state, DischargeFact.episode(LA, "RNZ02", "ALL", "p" + i, ready, end, end != null && i > 0, "CAPACITY", ready));
        }
        long t = MONDAY_9AM + 100 * DAY;
        model.valuesAsOf(t, KEY, state);
        List<IndicatorValue> values = model.valuesAsOf(t, KEY, state);
        assertThat(state.columns).as("the second evaluation used the columns").isNotNull();
        // Person i is in a bed as of day 100 if 2i >= 100, ready on day i <= 100: i = 50..99, 50 people; at 7+ days those
        // ready by day 93 (50..93: 44), 14+ by day 86 (37), 21+ by day 79 (30).
        assertThat(value(values, "discharge.nctr_in_bed")).isEqualTo(50.0);
        assertThat(value(values, "discharge.nctr_delay_7_plus")).isEqualTo(44.0);
        assertThat(value(values, "discharge.nctr_delay_14_plus")).isEqualTo(37.0);
        assertThat(value(values, "discharge.nctr_delay_21_plus")).isEqualTo(30.0);
        // Ended (t - 7 days, t]: day 2i in (93, 100] means i = 47..49, each discharged after i days.
        assertThat(value(values, "discharge.discharges_7d")).isEqualTo(3.0);
        // Discharged in (t - 28 days, t]: day 2i in (72, 100], i = 37..49, delays of 37..49 days: median 43.
        assertThat(value(values, "discharge.median_delay_days_28d")).isEqualTo(43.0);
        // Bed days in the last 7 days: the 50 still in a bed, each from max(ready, day 93): i = 50..93 give 7 days each
        // (44 x 7 = 308), i = 94..99 give 100 - i (6+5+4+3+2+1 = 21); the three who left on days 94, 96, 98 give 1, 3, 5.
        assertThat(value(values, "discharge.delayed_bed_days_7d")).isEqualTo(308 + 21 + 9.0);
    }

    @Test
    void anEpisodeUnderAnUnlistedReasonFamilyIsScannedAndStillCounted() {
        DischargeState state = model.emptyState();
        model.apply(state, DischargeFact.episode(LA, "RNZ02", "ALL", "a", MONDAY_9AM, null, false, "CAPACITY", MONDAY_9AM));
        model.valuesAsOf(MONDAY_9AM + DAY, KEY, state);
        model.valuesAsOf(MONDAY_9AM + DAY, KEY, state);
        assertThat(state.columns).isNotNull();
        model.apply(state, DischargeFact.episode(LA, "RNZ02", "ALL", "b", MONDAY_9AM, null, false, "UNKNOWN", MONDAY_9AM));
        List<IndicatorValue> values = model.valuesAsOf(MONDAY_9AM + DAY, KEY, state);
        assertThat(state.columns).isNull();
        assertThat(values).isEqualTo(scanned(MONDAY_9AM + DAY, state));
        assertThat(values).anySatisfy(v -> assertThat(v.getDimensions()).containsEntry("delay_reason_family", "UNKNOWN"));
        assertThat(value(values, "discharge.nctr_in_bed")).isEqualTo(2.0);
    }

    @Test
    void whatFlinkKeepsOfADischargeStateIsStillItsTwoMaps() {
        // Savepoints taken before the columns existed restore only if the state's type is the same POJO.
        TypeInformation<DischargeState> type = TypeInformation.of(DischargeState.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<DischargeState> pojo = (PojoTypeInfo<DischargeState>) type;
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < pojo.getArity(); i++) {
            fields.add(pojo.getPojoFieldAt(i).getField().getName());
        }
        assertThat(fields).containsExactlyInAnyOrder("episodes", "readmissions");
    }

    private static double value(List<IndicatorValue> values, String indicator) {
        return values.stream().filter(v -> v.getIndicator().equals(indicator)).findFirst().orElseThrow().getValue();
    }
}
