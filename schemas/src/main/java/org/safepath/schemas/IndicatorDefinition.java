package org.safepath.schemas;

import java.util.List;
import java.util.Map;

/**
 * One indicator of the catalogue: what it measures, over which dimensions, with which default parameters
 * (windows, thresholds) and RAG thresholds. {@code peopleCount} marks counts about people, which exports
 * outside operational teams must pass through disclosure control.
 */
public record IndicatorDefinition(
        String id,
        String domain,
        String title,
        String description,
        String unit,
        List<String> dimensions,
        Map<String, Double> parameters,
        Double amber,
        Double red,
        boolean peopleCount) implements java.io.Serializable {

    public double parameter(String name) {
        Double value = parameters == null ? null : parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Indicator " + id + " has no parameter '" + name + "'");
        }
        return value;
    }

    /**
     * A duration parameter, named with its unit: {@code window_days}, {@code min_delay_days}, {@code threshold_hours}.
     * Fractions are kept to the millisecond (0.5 days is 12 hours), with no cast that truncates.
     */
    public java.time.Duration duration(String name) {
        java.math.BigDecimal value = java.math.BigDecimal.valueOf(parameter(name));
        java.math.BigDecimal unitMillis;
        if (name.endsWith("_days")) {
            unitMillis = java.math.BigDecimal.valueOf(86_400_000L);
        } else if (name.endsWith("_hours")) {
            unitMillis = java.math.BigDecimal.valueOf(3_600_000L);
        } else {
            throw new IllegalArgumentException("Indicator " + id + ": parameter '" + name + "' is not a duration (no _days or _hours)");
        }
        return java.time.Duration.ofMillis(value.multiply(unitMillis).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }

    /** The rolling window of an indicator with a {@code window_days} parameter, in milliseconds. */
    public long windowMillis() {
        return duration("window_days").toMillis();
    }
}
