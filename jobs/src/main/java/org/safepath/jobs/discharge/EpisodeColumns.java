package org.safepath.jobs.discharge;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's episodes as primitive columns, for the hourly evaluation of a busy site: a region's site holds tens of
 * thousands of episodes, most of them ended and kept only for the windows and the allowed lateness. Scanning them
 * as objects in a hash map once an hour was a third of a year-long backtest's time.
 *
 * <p>Open episodes (no end yet) sit in unordered columns, found by id. Ended ones sit in columns sorted by their
 * end, so a value as of T looks only at those that ended inside its longest window, or after T, and skips the rest
 * with a binary search. Derived from {@link DischargeState#episodes}, never stored: a state's checkpoint is the map.
 */
final class EpisodeColumns {

    /** The delay reason families a value is written for, in the order of {@link #reasonNames}. */
    private final Map<String, Integer> reasonIndex;

    private final Map<String, Integer> openSlot = new HashMap<>();
    private String[] openIds = new String[16];
    private long[] openReady = new long[16];
    private int[] openReason = new int[16];
    private int openSize;

    private String[] endedIds = new String[16];
    private long[] endedReady = new long[16];
    private long[] endedAt = new long[16];
    private boolean[] endedDischarged = new boolean[16];
    private int[] endedReason = new int[16];
    private int endedSize;

    private EpisodeColumns(Map<String, Integer> reasonIndex) {
        this.reasonIndex = reasonIndex;
    }

    /** The columns of these episodes, or null if one has a reason family outside {@code reasons} (values then come from a scan). */
    static EpisodeColumns of(Collection<DischargeFact> episodes, List<String> reasons) {
        Map<String, Integer> index = new HashMap<>();
        for (String reason : reasons) {
            index.put(reason, index.size());
        }
        EpisodeColumns columns = new EpisodeColumns(index);
        DischargeFact[] ended = episodes.stream().filter(e -> e.endedAt != null)
                .sorted((a, b) -> Long.compare(a.endedAt, b.endedAt)).toArray(DischargeFact[]::new);
        for (DischargeFact e : ended) {
            if (!columns.knows(e)) {
                return null;
            }
            columns.insertEnded(columns.endedSize, e);
        }
        for (DischargeFact e : episodes) {
            if (e.endedAt == null) {
                if (!columns.knows(e)) {
                    return null;
                }
                columns.addOpen(e);
            }
        }
        return columns;
    }

    /** Columns that change apart from these (the early values' copy of a state). */
    EpisodeColumns copy() {
        EpisodeColumns c = new EpisodeColumns(reasonIndex);
        c.openSlot.putAll(openSlot);
        c.openIds = openIds.clone();
        c.openReady = openReady.clone();
        c.openReason = openReason.clone();
        c.openSize = openSize;
        c.endedIds = endedIds.clone();
        c.endedReady = endedReady.clone();
        c.endedAt = endedAt.clone();
        c.endedDischarged = endedDischarged.clone();
        c.endedReason = endedReason.clone();
        c.endedSize = endedSize;
        return c;
    }

    /** Whether this episode can be held: its reason family is one a value is written for. */
    boolean knows(DischargeFact e) {
        return e.delayReasonFamily != null && reasonIndex.containsKey(e.delayReasonFamily);
    }

    int size() {
        return openSize + endedSize;
    }

    void add(DischargeFact e) {
        if (e.endedAt == null) {
            addOpen(e);
        } else {
            insertEnded(firstEndedAfter(e.endedAt), e);
        }
    }

    /** Removes the episode as it was stored (its id and end). */
    void remove(DischargeFact e) {
        if (e.endedAt == null) {
            Integer slot = openSlot.remove(e.episodeId);
            if (slot == null) {
                throw new IllegalStateException("episode " + e.episodeId + " is not among the open columns");
            }
            int last = --openSize;
            if (slot != last) {
                openIds[slot] = openIds[last];
                openReady[slot] = openReady[last];
                openReason[slot] = openReason[last];
                openSlot.put(openIds[slot], slot);
            }
            openIds[last] = null;
            return;
        }
        for (int i = firstEndedAfter(e.endedAt - 1); i < endedSize && endedAt[i] == e.endedAt; i++) {
            if (endedIds[i].equals(e.episodeId)) {
                removeEnded(i, 1);
                return;
            }
        }
        throw new IllegalStateException("episode " + e.episodeId + " is not among the ended columns");
    }

    /** Forgets the episodes that ended at or before the horizon, as {@link DischargeModel#forgetBefore} does. */
    void forgetEndedUpTo(long horizon) {
        removeEnded(0, firstEndedAfter(horizon));
    }

    /** Visits, for an evaluation as of {@code t}, every episode that ended after {@code after} or has not ended. */
    void forEachEndedAfter(long after, EpisodeVisitor visitor) {
        for (int i = firstEndedAfter(after); i < endedSize; i++) {
            visitor.visit(endedReady[i], endedAt[i], endedDischarged[i], endedReason[i]);
        }
        for (int i = 0; i < openSize; i++) {
            visitor.visit(openReady[i], Long.MAX_VALUE, false, openReason[i]);
        }
    }

    /** One episode: {@code end} is {@link Long#MAX_VALUE} while it is open; {@code reason} indexes the reason families. */
    interface EpisodeVisitor {
        void visit(long readyAt, long end, boolean discharged, int reason);
    }

    /** The first position among the ended episodes whose end is after {@code t}. */
    private int firstEndedAfter(long t) {
        int lo = 0;
        int hi = endedSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (endedAt[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void addOpen(DischargeFact e) {
        if (openSize == openIds.length) {
            int n = openSize * 2;
            openIds = Arrays.copyOf(openIds, n);
            openReady = Arrays.copyOf(openReady, n);
            openReason = Arrays.copyOf(openReason, n);
        }
        openIds[openSize] = e.episodeId;
        openReady[openSize] = e.readyAt;
        openReason[openSize] = reasonIndex.get(e.delayReasonFamily);
        openSlot.put(e.episodeId, openSize);
        openSize++;
    }

    /** Inserts at position i; episodes mostly end in time order, so i is mostly at or near the end. */
    private void insertEnded(int i, DischargeFact e) {
        if (endedSize == endedIds.length) {
            int n = endedSize * 2;
            endedIds = Arrays.copyOf(endedIds, n);
            endedReady = Arrays.copyOf(endedReady, n);
            endedAt = Arrays.copyOf(endedAt, n);
            endedDischarged = Arrays.copyOf(endedDischarged, n);
            endedReason = Arrays.copyOf(endedReason, n);
        }
        int tail = endedSize - i;
        if (tail > 0) {
            System.arraycopy(endedIds, i, endedIds, i + 1, tail);
            System.arraycopy(endedReady, i, endedReady, i + 1, tail);
            System.arraycopy(endedAt, i, endedAt, i + 1, tail);
            System.arraycopy(endedDischarged, i, endedDischarged, i + 1, tail);
            System.arraycopy(endedReason, i, endedReason, i + 1, tail);
        }
        endedIds[i] = e.episodeId;
        endedReady[i] = e.readyAt;
        endedAt[i] = e.endedAt;
        endedDischarged[i] = e.discharged;
        endedReason[i] = reasonIndex.get(e.delayReasonFamily);
        endedSize++;
    }

    private void removeEnded(int from, int count) {
        if (count == 0) {
            return;
        }
        int tail = endedSize - from - count;
        System.arraycopy(endedIds, from + count, endedIds, from, tail);
        System.arraycopy(endedReady, from + count, endedReady, from, tail);
        System.arraycopy(endedAt, from + count, endedAt, from, tail);
        System.arraycopy(endedDischarged, from + count, endedDischarged, from, tail);
        System.arraycopy(endedReason, from + count, endedReason, from, tail);
        Arrays.fill(endedIds, endedSize - count, endedSize, null);
        endedSize -= count;
    }
}
