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
    /**
     * Where the audience is reached, when the events themselves say (the team that holds a wait); null: resolved from
     * reference data (a care home's link worker). Part of the alert's key: each recipient hears once.
     */
    public String recipient;
    public long evidenceCount;
    public Map<String, Long> evidenceCounts = new TreeMap<>();
    public List<String> evidenceEventIds = new ArrayList<>();
    /** What happened, in words a recipient reads (priority, type of risk, hospital site); never who a person is. */
    public Map<String, String> evidenceDetails = new TreeMap<>();
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
