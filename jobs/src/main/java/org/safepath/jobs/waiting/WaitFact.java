package org.safepath.jobs.waiting;

import java.util.ArrayList;
import java.util.List;

import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.TimedFact;

/**
 * A wait on a waiting list as it now stands, told to the row of one priority it has held: the whole wait travels
 * with it (when it was added, each priority since when, when it was removed), so a priority change moves it to
 * the new row as of its time without restarting it, whatever order the facts arrive in. A Flink POJO.
 */
public class WaitFact extends TimedFact {
    public String localAuthority;
    public String waitId;
    public String team;
    public String waitingFor;
    public long addedAt;
    /** When the priority took each value: the wait's own, then each change. */
    public List<Long> prioritySince = new ArrayList<>();
    public List<String> priorities = new ArrayList<>();
    public Long removedAt;
    /** The priority row this fact is told to. */
    public String keyPriority;

    public WaitFact() {
    }

    @Override
    public DimensionKey key() {
        return DimensionKey.of("local_authority", localAuthority, "team", team, "waiting_for", waitingFor, "priority", keyPriority);
    }

    @Override
    public String identity() {
        return "wait " + waitId;
    }

    /** The priority as of t (null before the wait). */
    public String priorityAt(long t) {
        return org.safepath.jobs.primitives.Timelines.at(prioritySince, priorities, t);
    }

    public boolean openAt(long t) {
        return addedAt <= t && (removedAt == null || removedAt > t);
    }

    WaitFact toRow(String priority) {
        WaitFact f = new WaitFact();
        f.localAuthority = localAuthority;
        f.waitId = waitId;
        f.team = team;
        f.waitingFor = waitingFor;
        f.addedAt = addedAt;
        f.prioritySince = new ArrayList<>(prioritySince);
        f.priorities = new ArrayList<>(priorities);
        f.removedAt = removedAt;
        f.keyPriority = priority;
        f.factTime = factTime;
        f.provisional = provisional;
        return f;
    }
}
