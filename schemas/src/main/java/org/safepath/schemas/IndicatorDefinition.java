package org.safepath.schemas;

import java.util.List;
import java.util.Map;

/**
 * One indicator of the catalogue: what it measures, over which dimensions, with which default parameters
 * (windows, thresholds) and RAG thresholds. {@code peopleCount} marks counts about people, which exports
 * outside operational teams must pass through disclosure control. {@code attributes}: dimensions that describe a
 * value's subject without identifying it (a provider location's local authority, known from reference data that
 * may arrive after the location's first concern): the value's document is the same whatever they say.
 */
public record IndicatorDefinition(
        String id,
        String domain,
        String title,
        String description,
        String unit,
        List<String> dimensions,
        List<String> attributes,
        Map<String, Double> parameters,
        Double amber,
        Double red,
        boolean peopleCount,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Map<String, Double>> councilParameters)
        implements java.io.Serializable {

    /** A definition as the catalogue file holds it: no council's own parameters. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public IndicatorDefinition(@com.fasterxml.jackson.annotation.JsonProperty("id") String id,
                               @com.fasterxml.jackson.annotation.JsonProperty("domain") String domain,
                               @com.fasterxml.jackson.annotation.JsonProperty("title") String title,
                               @com.fasterxml.jackson.annotation.JsonProperty("description") String description,
                               @com.fasterxml.jackson.annotation.JsonProperty("unit") String unit,
                               @com.fasterxml.jackson.annotation.JsonProperty("dimensions") List<String> dimensions,
                               @com.fasterxml.jackson.annotation.JsonProperty("attributes") List<String> attributes,
                               @com.fasterxml.jackson.annotation.JsonProperty("parameters") Map<String, Double> parameters,
                               @com.fasterxml.jackson.annotation.JsonProperty("amber") Double amber,
                               @com.fasterxml.jackson.annotation.JsonProperty("red") Double red,
                               @com.fasterxml.jackson.annotation.JsonProperty("peopleCount") boolean peopleCount) {
        this(id, domain, title, description, unit, dimensions, attributes == null ? List.of() : attributes, parameters, amber, red,
                peopleCount, Map.of());
        if (!dimensions.containsAll(this.attributes)) {
            throw new IllegalArgumentException("Indicator " + id + ": attributes " + this.attributes + " must be among its dimensions "
                    + dimensions);
        }
    }

    /** The dimensions that identify a value's subject: all but the {@link #attributes()}. */
    public List<String> identifiedBy() {
        return dimensions.stream().filter(d -> !attributes.contains(d)).toList();
    }

    /** Units that count things: their values add up across a dimension (a council's total is its sites' sum). */
    private static final java.util.Set<String> COUNTED = java.util.Set.of("people", "concerns", "requests", "bed-days", "flag");

    /**
     * Whether values add up across this indicator's dimensions: counts do, medians, ratios, rates and scores do
     * not (a council's median is not its teams' medians added). Dashboards and queries total only these.
     */
    @com.fasterxml.jackson.annotation.JsonProperty("additive")
    public boolean additive() {
        return COUNTED.contains(unit);
    }

    /**
     * A parameter as one council has it: its own value where its configuration sets one
     * ({@code waiting.over_threshold.high_days.E06000054=5}), else the catalogue's.
     */
    public double parameter(String name, String localAuthority) {
        Map<String, Double> own = councilParameters == null ? null : councilParameters.get(localAuthority);
        Double value = own == null ? null : own.get(name);
        return value != null ? value : parameter(name);
    }

    /** A duration parameter as one council has it (see {@link #parameter(String, String)} and {@link #duration(String)}). */
    public java.time.Duration duration(String name, String localAuthority) {
        return toDuration(name, parameter(name, localAuthority));
    }

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
        return toDuration(name, parameter(name));
    }

    private java.time.Duration toDuration(String name, double parameter) {
        java.math.BigDecimal value = java.math.BigDecimal.valueOf(parameter);
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
