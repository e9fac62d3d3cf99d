package org.safepath.jobs.primitives;

import java.util.List;

/**
 * A value that changes over event time, kept as two parallel lists in a fact or state POJO (when each value took
 * effect, and the value): a request's urgency, a wait's priority. Changes may arrive in any order.
 */
public final class Timelines {

    private Timelines() {
    }

    /** The value in effect at t: the last one that took effect at or before t; null before the first. */
    public static String at(List<Long> since, List<String> values, long t) {
        String v = null;
        for (int i = 0; i < since.size(); i++) {
            if (since.get(i) <= t) {
                v = values.get(i);
            }
        }
        return v;
    }

    /** Records that {@code value} took effect at t, in time order (after any change at the same instant). */
    public static void put(List<Long> since, List<String> values, long t, String value) {
        int i = 0;
        while (i < since.size() && since.get(i) <= t) {
            i++;
        }
        since.add(i, t);
        values.add(i, value);
    }
}
