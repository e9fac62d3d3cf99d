package org.safepath.connectors.config;

import java.time.Duration;

import org.apache.flink.util.TimeUtils;

/**
 * The one duration syntax of SafePath, for job options and the command line alike: Flink's ({@code 500ms},
 * {@code 30s}, {@code 5min} or {@code 5m}, {@code 2h}, {@code 7d}), ISO-8601 ({@code PT30S}, {@code P7D}), and a bare
 * number meaning seconds.
 */
public final class Durations {

    public static final String EXAMPLES = "30s, 5m, 2h, 7d or PT30S";

    private Durations() {
    }

    /** Parses {@code text}; a bad value is an {@link IllegalArgumentException} that names {@code option}. */
    public static Duration parse(String option, String text) {
        String v = text == null ? "" : text.trim();
        try {
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            }
            return TimeUtils.parseDuration(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " takes a duration such as " + EXAMPLES + ", not '" + text + "'");
        }
    }

    /** A duration as an operator reads it in a log line: "42 s", "3 min 5 s". */
    public static String spoken(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}
