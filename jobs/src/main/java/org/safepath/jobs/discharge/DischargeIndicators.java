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

    public DischargeIndicators(IndicatorCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** Longest window any discharge indicator looks back over: state older than this can go. */
    long longestWindowMillis() {
        return catalogue.domain("discharge").stream()
                .filter(d -> d.parameters().containsKey("window_days"))
                .mapToLong(IndicatorDefinition::windowMillis).max().orElse(30 * DAY);
    }

    /** The instants after {@code readyAt} at which an open episode crosses a delay threshold. */
    List<Long> delayThresholdCrossings(long readyAt) {
        List<Long> crossings = new ArrayList<>();
        for (IndicatorDefinition d : catalogue.domain("discharge")) {
            if (d.parameters().containsKey("min_delay_days")) {
                crossings.add(readyAt + d.duration("min_delay_days").toMillis());
            }
        }
        return crossings;
    }

    /** The instants at which an event at {@code t} leaves each rolling window. */
    List<Long> windowExits(long t) {
        return catalogue.domain("discharge").stream()
                .filter(d -> d.parameters().containsKey("window_days"))
                .map(d -> t + d.windowMillis()).distinct().toList();
    }

    private static final List<String> DELAY_THRESHOLDS =
            List.of("discharge.nctr_delay_7_plus", "discharge.nctr_delay_14_plus", "discharge.nctr_delay_21_plus");

    /**
     * Every value as of t, in one pass over the key's episodes: an hourly history of a busy site (a region's
     * thousands of episodes) evaluates this for every key every hour.
     */
    public List<IndicatorValue> asOf(long t, DimensionKey key, Collection<DischargeFact> episodes, Collection<Long> readmissionTimes) {
        Map<String, String> dims = key.asMap();
        long[] thresholds = new long[DELAY_THRESHOLDS.size()];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = catalogue.get(DELAY_THRESHOLDS.get(i)).duration("min_delay_days").toMillis();
        }
        long discharges7 = windowMillis("discharge.discharges_7d");
        long median28 = windowMillis("discharge.median_delay_days_28d");
        long bedDays7 = windowMillis("discharge.delayed_bed_days_7d");

        Map<String, Integer> byReason = new TreeMap<>();
        for (DelayReasonFamily family : DelayReasonFamily.values()) {
            if (family != DelayReasonFamily.UNKNOWN) {
                byReason.put(family.name(), 0);
            }
        }
        byReason.put(DischargeEventReader.REASON_NOT_RECORDED, 0);
        int open = 0;
        long[] delayed = new long[thresholds.length];
        long discharged7 = 0;
        double[] delays = new double[episodes.size()];
        int sampled = 0;
        double bedDayMillis = 0;
        for (DischargeFact e : episodes) {
            if (e.discharged && inWindow(e.endedAt, t, discharges7)) {
                discharged7++;
            }
            if (e.discharged && inWindow(e.endedAt, t, median28)) {
                delays[sampled++] = (e.endedAt - e.readyAt) / (double) DAY;
            }
            if (e.readyAt > t) {
                continue;
            }
            if (e.openAt(t)) {
                open++;
                for (int i = 0; i < thresholds.length; i++) {
                    if (t - e.readyAt >= thresholds[i]) {
                        delayed[i]++;
                    }
                }
                byReason.merge(e.delayReasonFamily, 1, Integer::sum);
            }
            long end = e.endedAt == null || e.endedAt > t ? t : e.endedAt;
            long start = Math.max(e.readyAt, t - bedDays7);
            bedDayMillis += Math.max(0, end - start);
        }

        List<IndicatorValue> values = new ArrayList<>();
        values.add(value("discharge.nctr_in_bed", dims, open, t, Map.of()));
        for (int i = 0; i < thresholds.length; i++) {
            values.add(value(DELAY_THRESHOLDS.get(i), dims, delayed[i], t, Map.of()));
        }
        byReason.forEach((reason, count) -> {
            Map<String, String> withReason = new LinkedHashMap<>(dims);
            withReason.put("delay_reason_family", reason);
            values.add(value("discharge.nctr_by_delay_reason", withReason, count, t, Map.of()));
        });
        values.add(value("discharge.discharges_7d", dims, discharged7, t, Map.of()));
        values.add(value("discharge.median_delay_days_28d", dims, Median.of(delays, sampled), t,
                Map.of("sample_size", (double) sampled)));
        values.add(value("discharge.delayed_bed_days_7d", dims, bedDayMillis / DAY, t, Map.of()));

        long readmit30 = windowMillis("discharge.readmissions_30d");
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
        return time != null && time > t - width && time <= t;
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
