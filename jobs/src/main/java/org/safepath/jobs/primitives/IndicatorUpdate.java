package org.safepath.jobs.primitives;

import org.safepath.records.IndicatorValue;

/**
 * An indicator value and where it goes: the current index (exact or provisional) or the history of its hour.
 * Operators and tests read the typed {@link IndicatorValue}; the documents are made from it at the sink edge.
 */
public class IndicatorUpdate {

    public enum Target { CURRENT, PROVISIONAL, HISTORY }

    public IndicatorValue value;
    public Target target;

    public IndicatorUpdate() {
    }

    public IndicatorUpdate(IndicatorValue value, Target target) {
        this.value = value;
        this.target = target;
    }

    public String indicator() {
        return value.getIndicator();
    }

    /**
     * An exact value as of its {@code as_of}: a current value, or an hour's history (which, while the job catches
     * up, is the only place an hour's value is written).
     */
    public boolean exact() {
        return target != Target.PROVISIONAL;
    }

    public long asOf() {
        return value.getAsOf().toEpochMilli();
    }

    @Override
    public String toString() {
        return target + " " + value.getIndicator() + value.getDimensions() + " = " + value.getValue() + " as of " + value.getAsOf();
    }
}
