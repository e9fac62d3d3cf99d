package org.safepath.jobs.primitives;

import org.safepath.schemas.IndicatorDefinition;

/** Red/amber/green from the catalogue's thresholds (value >= red is red, >= amber is amber). */
public final class Rag {
    private Rag() {
    }

    public static String of(IndicatorDefinition definition, double value) {
        if (definition.red() == null && definition.amber() == null) {
            return "NONE";
        }
        if (definition.red() != null && value >= definition.red()) {
            return "RED";
        }
        if (definition.amber() != null && value >= definition.amber()) {
            return "AMBER";
        }
        return "GREEN";
    }
}
