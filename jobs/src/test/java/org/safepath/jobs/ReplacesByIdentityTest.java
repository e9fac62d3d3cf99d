package org.safepath.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.safepath.events.DelayReasonFamily;
import org.safepath.jobs.discharge.DischargeFact;
import org.safepath.jobs.discharge.DischargeModel;
import org.safepath.jobs.placements.PlacementFact;
import org.safepath.jobs.placements.PlacementsModel;
import org.safepath.jobs.primitives.IndicatorFact;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.waiting.WaitFact;
import org.safepath.jobs.waiting.WaitingModel;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * The models that say their facts replace by identity (so the live aggregator keeps a busy row's early state and
 * applies only what came since) must mean it: a row's values after any run of facts are those of only the newest
 * fact of each identity, applied in any order.
 */
class ReplacesByIdentityTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long START = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final IndicatorCatalogue CATALOGUE = IndicatorCatalogue.defaults();

    /** Runs of random facts for one row, each checked against the newest of each identity, shuffled. */
    private static <F extends IndicatorFact, S> void newestOfEachIdentityGivesTheSameValues(
            IndicatorModel<F, S> model, Function<Random, F> fact) {
        assertThat(model.replacesByIdentity()).isTrue();
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            S all = model.emptyState();
            Map<String, F> newest = new LinkedHashMap<>();
            F first = null;
            for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
                F f = fact.apply(random);
                first = first == null ? f : first;
                model.apply(all, f);
                newest.put(f.identity(), f);
            }
            List<F> shuffled = new ArrayList<>(newest.values());
            Collections.shuffle(shuffled, random);
            S only = model.emptyState();
            for (F f : shuffled) {
                model.apply(only, f);
            }
            for (long t = START; t <= START + 60 * DAY; t += 7 * HOUR) {
                List<IndicatorValue> expected = model.valuesAsOf(t, first.key(), all);
                List<IndicatorValue> actual = model.valuesAsOf(t, first.key(), only);
                assertThat(actual).as("seed %d at %s", seed, Instant.ofEpochMilli(t)).hasSameSizeAs(expected);
                for (int v = 0; v < expected.size(); v++) {
                    assertThat(actual.get(v).getIndicator()).isEqualTo(expected.get(v).getIndicator());
                    assertThat(actual.get(v).getDimensions()).isEqualTo(expected.get(v).getDimensions());
                    // Sums of days may be added in another order: equal to the last bits.
                    assertThat(actual.get(v).getValue()).as("seed %d, %s at %s", seed, expected.get(v).getIndicator(),
                            Instant.ofEpochMilli(t)).isCloseTo(expected.get(v).getValue(), within(1e-9));
                }
            }
        }
    }

    private static long someTime(Random random) {
        return START + (long) (random.nextDouble() * 40 * DAY);
    }

    @Test
    void aWaitsNewestFactStandsForIt() {
        newestOfEachIdentityGivesTheSameValues(new WaitingModel(CATALOGUE), random -> {
            WaitFact f = new WaitFact();
            f.localAuthority = "E06000054";
            f.waitId = "w" + random.nextInt(8);
            f.team = "north";
            f.waitingFor = "ASSESSMENT";
            f.addedAt = someTime(random);
            f.prioritySince.add(f.addedAt);
            f.priorities.add("HIGH");
            f.keyPriority = "HIGH";
            f.removedAt = random.nextBoolean() ? null : f.addedAt + (long) (random.nextDouble() * 30 * DAY);
            f.factTime = f.removedAt != null ? f.removedAt : f.addedAt;
            return f;
        });
    }

    @Test
    void aPlacementsNewestFactStandsForIt() {
        newestOfEachIdentityGivesTheSameValues(new PlacementsModel(CATALOGUE), random -> {
            PlacementFact f = new PlacementFact();
            f.localAuthority = "E06000054";
            f.hostLocalAuthority = "E06000055";
            f.providerLocationId = "1-" + random.nextInt(3);
            f.personRef = "person-" + random.nextInt(5);
            f.team = "north";
            f.startEventId = "s" + random.nextInt(8);
            f.startedAt = someTime(random);
            f.endedAt = random.nextBoolean() ? null : f.startedAt + (long) (random.nextDouble() * 20 * DAY);
            f.factTime = f.endedAt != null ? f.endedAt : f.startedAt;
            return f;
        });
    }

    @Test
    void anEpisodesOrReadmissionsNewestFactStandsForIt() {
        DelayReasonFamily[] families = DelayReasonFamily.values();
        newestOfEachIdentityGivesTheSameValues(new DischargeModel(CATALOGUE), random -> {
            DischargeFact f = new DischargeFact();
            f.localAuthority = "E06000054";
            f.hospitalSite = "RNZ02";
            f.pathway = "P1";
            int kind = random.nextInt(6);
            if (kind == 0) {
                f.kind = DischargeFact.Kind.READMISSION;
                f.readmissionEventId = "r" + random.nextInt(4);
                f.readmittedAt = someTime(random);
                f.factTime = f.readmittedAt;
                return f;
            }
            f.kind = kind == 1 ? DischargeFact.Kind.EPISODE_MOVED_AWAY : DischargeFact.Kind.EPISODE;
            f.episodeId = "e" + random.nextInt(8);
            f.readyAt = someTime(random);
            f.endedAt = random.nextBoolean() ? null : f.readyAt + (long) (random.nextDouble() * 25 * DAY);
            f.discharged = f.endedAt != null && random.nextBoolean();
            f.delayReasonFamily = random.nextInt(8) == 0 ? "NOT_RECORDED"
                    : families[random.nextInt(families.length)].name();
            f.factTime = f.endedAt != null ? f.endedAt : f.readyAt;
            return f;
        });
    }
}
