package org.safepath.jobs.primitives;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorDefinition;

/** Builds the typed {@link IndicatorValue} of a catalogue indicator: its unit and RAG come from the catalogue. */
public final class IndicatorValues {

    private IndicatorValues() {
    }

    /** A value whose RAG status follows the catalogue's thresholds. */
    public static IndicatorValue of(IndicatorDefinition d, Map<String, String> dimensions, double value, long asOf,
                                    Map<String, Double> components) {
        return build(d, dimensions, value, asOf, components, Rag.of(d, value));
    }

    /** A value that carries no RAG status (a breakdown row, where the catalogue's thresholds do not apply). */
    public static IndicatorValue withoutRag(IndicatorDefinition d, Map<String, String> dimensions, double value, long asOf,
                                            Map<String, Double> components) {
        return build(d, dimensions, value, asOf, components, "NONE");
    }

    private static IndicatorValue build(IndicatorDefinition d, Map<String, String> dimensions, double value, long asOf,
                                        Map<String, Double> components, String rag) {
        return IndicatorValue.newBuilder()
                .setIndicator(d.id())
                .setDimensions(new LinkedHashMap<>(dimensions))
                .setValue(value)
                .setUnit(d.unit())
                .setRag(org.safepath.records.Rag.valueOf(rag))
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setComponents(new LinkedHashMap<>(components))
                .build();
    }
}
