package org.safepath.dashboards;

/**
 * Statistical disclosure control for anything shown outside the operational teams (the board view and its
 * exports), as DOMAIN.md sets it: a count of people of 1 to 4 is shown as {@code [c]}, other counts are rounded to
 * the nearest 5, and a rate derived from a suppressed count is suppressed too. Zero stays 0: it discloses no one.
 */
public final class Disclosure {

    /** How a suppressed value is shown. */
    public static final String SUPPRESSED = "[c]";

    private Disclosure() {
    }

    /** A count of people as the board view shows it: {@code [c]}, or the count rounded to the nearest 5. */
    public static String count(double value) {
        long n = Math.round(value);
        if (n >= 1 && n <= 4) {
            return SUPPRESSED;
        }
        return Long.toString(Math.round(n / 5.0) * 5);
    }

    /** Whether a count would be suppressed, so that a rate derived from it is suppressed too. */
    public static boolean suppressed(double count) {
        long n = Math.round(count);
        return n >= 1 && n <= 4;
    }
}
