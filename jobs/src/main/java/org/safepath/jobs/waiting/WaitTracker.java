package org.safepath.jobs.waiting;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.primitives.EpisodeTracker;
import org.safepath.jobs.primitives.Timelines;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by (local authority, wait id): follows one wait from ADDED_TO_WAITING_LIST through PRIORITY_CHANGED to
 * REMOVED_FROM_WAITING_LIST, in event-time order, on the generic {@link EpisodeTracker}, and after each event tells
 * every priority row the wait has held where it stands. A change or a removal with no wait open, and a second
 * addition, are dead-lettered as OUT_OF_ORDER. The wait is forgotten the allowed lateness after its removal.
 */
public final class WaitTracker extends EpisodeTracker<String, CareJourneyEvent, WaitTracker.Wait, WaitFact> {

    /** The wait as known so far. A Flink POJO. */
    public static class Wait {
        public WaitFact wait;

        public Wait() {
        }
    }

    private final long allowedLatenessMillis;

    public WaitTracker(Duration allowedLateness, Duration earlyWithin) {
        super(TypeInformation.of(CareJourneyEvent.class), TypeInformation.of(Wait.class), earlyWithin.toMillis());
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    public static String key(CareJourneyEvent e) {
        return e.localAuthority + '\u001f' + e.waitId;
    }

    public static boolean isWaitEvent(CareJourneyEvent e) {
        return e.type == CareJourneyEventType.ADDED_TO_WAITING_LIST || e.type == CareJourneyEventType.PRIORITY_CHANGED
                || e.type == CareJourneyEventType.REMOVED_FROM_WAITING_LIST;
    }

    @Override
    protected Map<Object, Transition<CareJourneyEvent, Wait, WaitFact>> transitions() {
        return Map.of(
                CareJourneyEventType.ADDED_TO_WAITING_LIST, WaitTracker::added,
                CareJourneyEventType.PRIORITY_CHANGED, WaitTracker::priorityChanged,
                CareJourneyEventType.REMOVED_FROM_WAITING_LIST, WaitTracker::removed);
    }

    @Override
    protected Object typeOf(CareJourneyEvent e) {
        return e.type;
    }

    @Override
    protected Wait emptyState() {
        return new Wait();
    }

    @Override
    protected Long forgetAt(Wait w) {
        return w.wait == null || w.wait.removedAt == null ? null : w.wait.removedAt + allowedLatenessMillis + 1;
    }

    private static Rejection added(CareJourneyEvent e, Wait w, Collector<WaitFact> out) {
        if (w.wait != null) {
            return new Rejection(DeadLetterReason.OUT_OF_ORDER, "Wait already added at " + Instant.ofEpochMilli(w.wait.addedAt)
                    + "; a second ADDED_TO_WAITING_LIST is not applied");
        }
        WaitFact f = new WaitFact();
        f.localAuthority = e.localAuthority;
        f.waitId = e.waitId;
        f.team = e.team;
        f.waitingFor = e.waitingFor;
        f.addedAt = e.occurredAt;
        f.prioritySince.add(e.occurredAt);
        f.priorities.add(e.priority);
        w.wait = f;
        tell(w.wait, e.occurredAt, out);
        return null;
    }

    private static Rejection priorityChanged(CareJourneyEvent e, Wait w, Collector<WaitFact> out) {
        Rejection none = openAt(w, e, "PRIORITY_CHANGED");
        if (none != null) {
            return none;
        }
        Timelines.put(w.wait.prioritySince, w.wait.priorities, e.occurredAt, e.priority);
        tell(w.wait, e.occurredAt, out);
        return null;
    }

    private static Rejection removed(CareJourneyEvent e, Wait w, Collector<WaitFact> out) {
        Rejection none = openAt(w, e, "REMOVED_FROM_WAITING_LIST");
        if (none != null) {
            return none;
        }
        w.wait.removedAt = e.occurredAt;
        tell(w.wait, e.occurredAt, out);
        return null;
    }

    private static Rejection openAt(Wait w, CareJourneyEvent e, String what) {
        if (w.wait == null || w.wait.addedAt > e.occurredAt) {
            return new Rejection(DeadLetterReason.OUT_OF_ORDER, what + " at " + Instant.ofEpochMilli(e.occurredAt)
                    + " but the wait was not on the list then (no ADDED_TO_WAITING_LIST before it)");
        }
        if (w.wait.removedAt != null && w.wait.removedAt <= e.occurredAt) {
            return new Rejection(DeadLetterReason.OUT_OF_ORDER, what + " at " + Instant.ofEpochMilli(e.occurredAt)
                    + " but the wait was removed at " + Instant.ofEpochMilli(w.wait.removedAt));
        }
        return null;
    }

    /** Every priority row the wait has held hears where it stands now. */
    private static void tell(WaitFact wait, long at, Collector<WaitFact> out) {
        wait.factTime = at;
        for (String priority : new LinkedHashSet<>(wait.priorities)) {
            out.collect(wait.toRow(priority));
        }
    }
}
