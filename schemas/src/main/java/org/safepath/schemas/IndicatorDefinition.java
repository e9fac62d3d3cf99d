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
}
