package org.safepath.jobs.discharge;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One (authority, site, pathway)'s episodes of no criteria to reside, and its readmissions (time by event id).
 * The two maps are the state Flink keeps; the transient fields are a faster view of the episodes that only a state
 * object living on between calls (the heap state backend) builds, so a state read from RocksDB or copied for early
 * values is scanned as before.
 */
public class DischargeState {
    private static final Logger LOG = LoggerFactory.getLogger(DischargeState.class);

    public Map<String, DischargeFact> episodes = new HashMap<>();
    public Map<String, Long> readmissions = new HashMap<>();

    /** The episodes as columns, kept in step with {@link #episodes} once built; null until then. */
    transient EpisodeColumns columns;
    /** This object has been evaluated before, so it lives on between calls and the columns are worth building. */
    transient boolean evaluated;
    /** An episode's reason family is outside those a value is written for: the columns cannot hold it. */
    transient boolean scanOnly;

    public DischargeState() {
    }

    /**
     * A copy whose maps and columns change apart from this one's. The episodes themselves are shared: the model only
     * puts and removes them, never changes one. Its columns, if this state has them, are copied too, so the early
     * values a busy site writes every second read columns, not a scan.
     */
    DischargeState copy() {
        DischargeState c = new DischargeState();
        c.episodes = new HashMap<>(episodes);
        c.readmissions = new HashMap<>(readmissions);
        c.columns = columns == null ? null : columns.copy();
        c.scanOnly = scanOnly;
        return c;
    }

    /** Keeps the columns in step with a change of {@link #episodes}: {@code before} replaced by {@code after} (either may be null). */
    void replaced(DischargeFact before, DischargeFact after) {
        if (columns == null) {
            return;
        }
        try {
            if (before != null) {
                columns.remove(before);
            }
        } catch (IllegalStateException outOfStep) {
            // A bug, not bad input: the columns are only a view, so they are built again from the map when next needed.
            LOG.warn("Discharge episode columns were out of step with the episodes ({}); they are built again from the episodes",
                    outOfStep.getClass().getSimpleName());
            columns = null;
            return;
        }
        if (after != null) {
            if (columns.knows(after)) {
                columns.add(after);
            } else {
                columns = null;
                scanOnly = true;
            }
        }
    }

    /** The columns, built at the second evaluation of the same object; null where the episodes are to be scanned. */
    EpisodeColumns columnsForEvaluation() {
        if (columns == null && evaluated && !scanOnly) {
            columns = EpisodeColumns.of(episodes.values(), DischargeIndicators.REASON_FAMILIES);
            scanOnly = columns == null;
        }
        evaluated = true;
        return columns;
    }
}
