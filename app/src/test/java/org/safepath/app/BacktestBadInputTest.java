package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestBadInputTest {

    private static final String GOOD = "{\"stream\":\"hospital-discharge\",\"event_id\":\"ok-1\",\"occurred_at\":\"2026-03-02T09:00:00Z\","
            + "\"recorded_at\":\"2026-03-02T09:00:00Z\",\"source_system\":\"t\",\"local_authority\":\"E06000054\","
            + "\"person\":{\"nhs_number\":\"9990000018\"},\"event_type\":\"DISCHARGE_READY\",\"hospital_site\":\"RNZ02\",\"pathway\":\"P1\"}";

    @Test
    void eachBadLineIsReportedWithItsFileLineAndReasonTheRunGoesOnAndTheExitCodeSaysSo(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("bad.jsonl");
        Files.write(events, List.of(
                GOOD,
                "{not json",
                GOOD.replace("hospital-discharge", "social-media"),
                GOOD.replace("ok-1", "ok-2").replace("\"P1\"", "\"P9\""),
                GOOD.replace("ok-1", "ok-3").replace(",\"hospital_site\":\"RNZ02\"", ""),
                GOOD.replace("ok-1", "ok-4").replace("\"occurred_at\":\"2026-03-02T09:00:00Z\"", "\"occurred_at\":\"yesterday\""),
                GOOD.replace("ok-1", "ok-5").replace("9990000018", "9990000019"),
                GOOD.replace("ok-1", "ok-6").replace("9990000018", "9990000026")));
        Path out = dir.resolve("out/indicators.jsonl");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = SafePath.execute("backtest", "--events", events.toString(), "--as-of", "2026-03-03T00:00:00Z", "--out", out.toString());
        } finally {
            System.setErr(original);
        }

        assertThat(code).isEqualTo(BacktestCommand.EXIT_REJECTS);
        String messages = err.toString();
        assertThat(messages).contains(events + ":2: MALFORMED_JSON")
                .contains(events + ":3: UNKNOWN_STREAM: unknown stream 'social-media'")
                .contains(events + ":4: UNKNOWN_CODE: pathway 'P9' is not one of [P0, P1, P2, P3]")
                .contains(events + ":5: MISSING_FIELD: required field 'hospital_site' is missing")
                .contains(events + ":6: INVALID_TIMESTAMP: occurred_at 'yesterday'")
                .contains(events + ":7: INVALID_NHS_NUMBER");
        assertThat(messages).doesNotContain("9990000019");
        List<String> rejected = Files.readAllLines(dir.resolve("out/indicators.rejected.jsonl"));
        assertThat(rejected).hasSize(6);
        assertThat(rejected.get(0)).contains("\"line\":2").contains("\"reason\":\"MALFORMED_JSON\"").contains("{not json");
        // The two good lines were applied: two people in a bed at RNZ02, pathway P1.
        assertThat(BacktestScenarioTestValues.inBed(out)).isEqualTo(2.0);

        int allowed = SafePath.execute("backtest", "--events", events.toString(), "--as-of", "2026-03-03T00:00:00Z",
                "--out", out.toString(), "--allow-rejects");
        assertThat(allowed).isZero();
    }

    /** Reads nctr_in_bed for RNZ02 P1 from a backtest's output. */
    static final class BacktestScenarioTestValues {
        static double inBed(Path out) throws Exception {
            for (String line : Files.readAllLines(out)) {
                if (line.contains("\"discharge.nctr_in_bed\"") && line.contains("\"RNZ02\"") && line.contains("\"P1\"")) {
                    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("value").asDouble();
                }
            }
            return -1;
        }
    }
}
