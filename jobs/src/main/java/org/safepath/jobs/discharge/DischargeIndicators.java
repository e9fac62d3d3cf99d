package org.safepath.jobs.discharge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.safepath.events.DelayReasonFamily;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.jobs.primitives.Median;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * Every {@code discharge.*} indicator of one (local authority, site, pathway) as of an instant T, from that
 * key's episodes and readmissions (INDICATORS.md, "Hospital discharge"). Pure: the same inputs give the
 * same values, which is what lets a backtest and the streaming job agree.
 */
public final class DischargeIndicators implements java.io.Serializable {

    static final long DAY = 86_400_000L;
    static final long HOUR = 3_600_000L;

    private final IndicatorCatalogue catalogue;
    /** The catalogue's durations in millis, worked out once (each is read at every evaluation or fact). */
    private final long[] thresholds;
    private final long discharges7;
    private final long median28;
    private final long bedDays7;
    private final long widestEpisodeWindow;
    private final long readmit30;
    private final long[] windows;

    public DischargeIndicators(IndicatorCatalogue catalogue) {
        this.catalogue = catalogue;
        this.thresholds = DELAY_THRESHOLDS.stream().mapToLong(id -> catalogue.get(id).duration("min_delay_days").toMillis()).toArray();
        this.discharges7 = windowMillis("discharge.discharges_7d");
        this.median28 = windowMillis("discharge.median_delay_days_28d");
        this.bedDays7 = windowMillis("discharge.delayed_bed_days_7d");
        this.widestEpisodeWindow = Math.max(discharges7, Math.max(median28, bedDays7));
        this.readmit30 = windowMillis("discharge.readmissions_30d");
        this.windows = catalogue.domain("discharge").stream().filter(d -> d.parameters().containsKey("window_days"))
                .mapToLong(IndicatorDefinition::windowMillis).distinct().toArray();
    }

    /** Longest window any discharge indicator looks back over: state older than this can go. */
    long longestWindowMillis() {
        return java.util.Arrays.stream(windows).max().orElse(30 * DAY);
    }

    /** The instants after {@code readyAt} at which an open episode crosses a delay threshold. */
    List<Long> delayThresholdCrossings(long readyAt) {
        List<Long> crossings = new ArrayList<>(thresholds.length);
        for (long offset : thresholds) {
            crossings.add(readyAt + offset);
        }
        return crossings;
    }

    /** The instants at which an event at {@code t} leaves each rolling window. */
    List<Long> windowExits(long t) {
        List<Long> exits = new ArrayList<>(windows.length);
        for (long window : windows) {
            exits.add(t + window);
        }
        return exits;
    }

    private static final List<String> DELAY_THRESHOLDS =
            List.of("discharge.nctr_delay_7_plus", "discharge.nctr_delay_14_plus", "discharge.nctr_delay_21_plus");

    /** The delay reason families {@code discharge.nctr_by_delay_reason} is written for, zero or not. */
    static final List<String> REASON_FAMILIES = reasonFamilies();

    private static List<String> reasonFamilies() {
        List<String> families = new ArrayList<>();
        for (DelayReasonFamily family : DelayReasonFamily.values()) {
            if (family != DelayReasonFamily.UNKNOWN) {
                families.add(family.name());
            }
        }
        families.add(DischargeEventReader.REASON_NOT_RECORDED);
        return List.copyOf(families);
    }

    /**
     * Every value as of t, in one pass over the key's episodes: an hourly history of a busy site (a region's
     * thousands of episodes) evaluates this for every key every hour.
     */
    public List<IndicatorValue> asOf(long t, DimensionKey key, Collection<DischargeFact> episodes, Collection<Long> readmissionTimes) {
        Tally tally = new Tally(t, episodes.size());
        for (DischargeFact e : episodes) {
            tally.add(e);
        }
        return values(t, key, tally, readmissionTimes);
    }

    /**
     * The same values from the key's episodes as columns: only the episodes that ended inside the widest window
     * before t, or after it, or not at all, are looked at; the rest can change no value as of t.
     */
    List<IndicatorValue> asOf(long t, DimensionKey key, EpisodeColumns episodes, Collection<Long> readmissionTimes) {
        Tally tally = new Tally(t, episodes.size());
        episodes.forEachEndedAfter(t - widestEpisodeWindow, tally);
        return values(t, key, tally, readmissionTimes);
    }

    /** What the episode values as of t add up: each episode counted by the definitions of INDICATORS.md. */
    private final class Tally implements EpisodeColumns.EpisodeVisitor {
        final long t;
        final int[] byReasonFamily = new int[REASON_FAMILIES.size()];
        /** Open episodes under a reason outside the families (none from a valid event): written as they come. */
        final Map<String, Integer> otherReasons = new TreeMap<>();
        int open;
        final long[] delayed = new long[thresholds.length];
        long discharged7;
        final double[] delays;
        int sampled;
        double bedDayMillis;

        Tally(long t, int episodes) {
            this.t = t;
            this.delays = new double[episodes];
        }

        void add(DischargeFact e) {
            int family = -1;
            if (e.openAt(t)) {
                family = REASON_FAMILIES.indexOf(e.delayReasonFamily);
                if (family < 0) {
                    otherReasons.merge(e.delayReasonFamily, 1, Integer::sum);
                }
            }
            visit(e.readyAt, e.endedAt == null ? Long.MAX_VALUE : e.endedAt, e.discharged, family);
        }

        /** {@code end}: {@link Long#MAX_VALUE} while the episode is open; {@code reason} < 0: counted by {@link #add}. */
        @Override
        public void visit(long readyAt, long end, boolean discharged, int reason) {
            if (discharged && inWindow(end, t, discharges7)) {
                discharged7++;
            }
            if (discharged && inWindow(end, t, median28)) {
                delays[sampled++] = (end - readyAt) / (double) DAY;
            }
            if (readyAt > t) {
                return;
            }
            if (end > t) {
                open++;
                for (int i = 0; i < thresholds.length; i++) {
                    if (t - readyAt >= thresholds[i]) {
                        delayed[i]++;
                    }
                }
                if (reason >= 0) {
                    byReasonFamily[reason]++;
                }
            }
            long until = Math.min(end, t);
            long from = Math.max(readyAt, t - bedDays7);
            bedDayMillis += Math.max(0, until - from);
        }
    }

    private List<IndicatorValue> values(long t, DimensionKey key, Tally tally, Collection<Long> readmissionTimes) {
        Map<String, String> dims = key.asMap();
        Map<String, Integer> byReason = new TreeMap<>(tally.otherReasons);
        for (int i = 0; i < REASON_FAMILIES.size(); i++) {
            byReason.put(REASON_FAMILIES.get(i), tally.byReasonFamily[i]);
        }
        List<IndicatorValue> values = new ArrayList<>();
        values.add(value("discharge.nctr_in_bed", dims, tally.open, t, Map.of()));
        for (int i = 0; i < thresholds.length; i++) {
            values.add(value(DELAY_THRESHOLDS.get(i), dims, tally.delayed[i], t, Map.of()));
        }
        byReason.forEach((reason, count) -> {
            Map<String, String> withReason = new LinkedHashMap<>(dims);
            withReason.put("delay_reason_family", reason);
            values.add(value("discharge.nctr_by_delay_reason", withReason, count, t, Map.of()));
        });
        values.add(value("discharge.discharges_7d", dims, tally.discharged7, t, Map.of()));
        values.add(value("discharge.median_delay_days_28d", dims, Median.of(tally.delays, tally.sampled), t,
                Map.of("sample_size", (double) tally.sampled)));
        values.add(value("discharge.delayed_bed_days_7d", dims, tally.bedDayMillis / DAY, t, Map.of()));

        long readmitted = 0;
        for (Long r : readmissionTimes) {
            if (inWindow(r, t, readmit30)) {
                readmitted++;
            }
        }
        values.add(value("discharge.readmissions_30d", dims, readmitted, t, Map.of()));
        return values;
    }

    /** (t - width, t]: the rolling window of INDICATORS.md. */
    static boolean inWindow(Long time, long t, long width) {
        return time != null && inWindow(time.longValue(), t, width);
    }

    static boolean inWindow(long time, long t, long width) {
        return time > t - width && time <= t;
    }

    private long windowMillis(String id) {
        return catalogue.get(id).windowMillis();
    }

    private IndicatorValue value(String id, Map<String, String> dims, double v, long t, Map<String, Double> components) {
        IndicatorDefinition d = catalogue.get(id);
        // INDICATORS.md: the RAG thresholds are per site, so only a site's all-pathways value carries a status.
        return DischargeFact.ALL_PATHWAYS.equals(dims.get("pathway")) ? IndicatorValues.of(d, dims, v, t, components)
                : IndicatorValues.withoutRag(d, dims, v, t, components);
    }
}
