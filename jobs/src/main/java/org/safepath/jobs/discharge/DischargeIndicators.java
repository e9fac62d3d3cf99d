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

    public List<IndicatorValue> asOf(long t, DimensionKey key, Collection<DischargeFact> episodes, Collection<Long> readmissionTimes) {
        Map<String, String> dims = key.asMap();
        List<IndicatorValue> values = new ArrayList<>();

        List<DischargeFact> open = episodes.stream().filter(e -> e.openAt(t)).toList();
        values.add(value("discharge.nctr_in_bed", dims, open.size(), t, Map.of()));
        for (String id : List.of("discharge.nctr_delay_7_plus", "discharge.nctr_delay_14_plus", "discharge.nctr_delay_21_plus")) {
            long threshold = catalogue.get(id).duration("min_delay_days").toMillis();
            values.add(value(id, dims, open.stream().filter(e -> t - e.readyAt >= threshold).count(), t, Map.of()));
        }

        Map<String, Integer> byReason = new TreeMap<>();
        for (DelayReasonFamily family : DelayReasonFamily.values()) {
            if (family != DelayReasonFamily.UNKNOWN) {
                byReason.put(family.name(), 0);
            }
        }
        byReason.put(DischargeEventReader.REASON_NOT_RECORDED, 0);
        open.forEach(e -> byReason.merge(e.delayReasonFamily, 1, Integer::sum));
        byReason.forEach((reason, count) -> {
            Map<String, String> withReason = new LinkedHashMap<>(dims);
            withReason.put("delay_reason_family", reason);
            values.add(value("discharge.nctr_by_delay_reason", withReason, count, t, Map.of()));
        });

        long discharges7 = windowMillis("discharge.discharges_7d");
        values.add(value("discharge.discharges_7d", dims, episodes.stream()
                .filter(e -> e.discharged && inWindow(e.endedAt, t, discharges7)).count(), t, Map.of()));

        long median28 = windowMillis("discharge.median_delay_days_28d");
        double[] delays = episodes.stream().filter(e -> e.discharged && inWindow(e.endedAt, t, median28))
                .mapToDouble(e -> (e.endedAt - e.readyAt) / (double) DAY).toArray();
        values.add(value("discharge.median_delay_days_28d", dims, Median.of(delays), t, Map.of("sample_size", (double) delays.length)));

        long bedDays7 = windowMillis("discharge.delayed_bed_days_7d");
        double bedDayMillis = 0;
        for (DischargeFact e : episodes) {
            if (e.readyAt > t) {
                continue;
            }
            long end = e.endedAt == null || e.endedAt > t ? t : e.endedAt;
            long start = Math.max(e.readyAt, t - bedDays7);
            bedDayMillis += Math.max(0, end - start);
        }
        values.add(value("discharge.delayed_bed_days_7d", dims, bedDayMillis / DAY, t, Map.of()));

        long readmit30 = windowMillis("discharge.readmissions_30d");
        values.add(value("discharge.readmissions_30d", dims,
                readmissionTimes.stream().filter(r -> inWindow(r, t, readmit30)).count(), t, Map.of()));
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
