package org.safepath.jobs.primitives;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a model's values call for, before the alert rule decides whether it is new: a rule, its subject, how
 * serious, who should act, and the evidence (the counts, the event ids behind them, and how many events the
 * rule counted, which decides escalation). A Flink POJO.
 */
public class AlertCandidate {
    public String rule;
    public String severity;
    public String subjectKind;
    public String subjectId;
    /** The audience the rule names (e.g. link_worker); resolved to a recipient from reference data. */
    public String audience;
    public long evidenceCount;
    public Map<String, Long> evidenceCounts = new TreeMap<>();
    public List<String> evidenceEventIds = new ArrayList<>();
    public long raisedAt;
    /** The cooldown for this rule, overriding the catalogue's; -1: the catalogue's (or 7 days). 0: every candidate is news. */
    public long cooldownMillis = -1;

    public AlertCandidate() {
    }

    @Override
    public String toString() {
        return rule + " " + subjectKind + " " + subjectId + " (" + severity + ", " + evidenceCount + ") at " + java.time.Instant.ofEpochMilli(raisedAt);
    }
}
