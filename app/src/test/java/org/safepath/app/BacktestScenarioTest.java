package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ward's fortnight around the clocks going forward (Sunday 29 March 2026, 01:00 UTC), worked out by hand.
 * Durations are measured between instants, so seven days across the change are still 168 hours.
 */
class BacktestScenarioTest {

    private static final String AS_OF = "2026-04-01T12:00:00Z";

    private static String event(String id, String at, String nhs, String type, String site, String pathway) {
        return "{\"stream\":\"hospital-discharge\",\"event_id\":\"" + id + "\",\"occurred_at\":\"" + at + "\",\"recorded_at\":\"" + at
                + "\",\"source_system\":\"test\",\"local_authority\":\"E06000054\",\"person\":{\"nhs_number\":\"" + nhs
                + "\"},\"event_type\":\"" + type + "\",\"hospital_site\":\"" + site + "\""
                + (pathway != null ? ",\"pathway\":\"" + pathway + "\",\"delay_reason_family\":\"CAPACITY\"" : "") + "}";
    }

    @Test
    void dischargeIndicatorsAsOfAnInstantMatchTheHandWorkedValues(@TempDir Path dir) throws Exception {
        String ann = "9990000018", bob = "9990000026", cat = "9990000034";
        Files.write(dir.resolve("ward.jsonl"), List.of(
                // Ann: ready 25 March 12:00 GMT; still in a bed on 1 April 12:00 (13:00 BST): exactly 7 x 24 hours.
                event("a1", "2026-03-25T12:00:00Z", ann, "DISCHARGE_READY", "RNZ02", "P1"),
                // Bob: ready 20 March, home 25 March 12:00 (a 5-day delay), back in hospital 28 March: a failed discharge.
                event("b1", "2026-03-20T12:00:00Z", bob, "DISCHARGE_READY", "RNZ02", "P1"),
                event("b2", "2026-03-25T12:00:00Z", bob, "DISCHARGED", "RNZ02", null),
                event("b3", "2026-03-28T12:00:00Z", bob, "ADMITTED", "RD130", null),
                // Cat: ready 31 March 12:00, home exactly at the as-of instant (a 1-day delay).
                event("c1", "2026-03-31T12:00:00Z", cat, "DISCHARGE_READY", "RNZ02", "P1"),
                event("c2", AS_OF, cat, "DISCHARGED", "RNZ02", null),
                // One second after the as-of instant: not part of the values as of it.
                event("a2", "2026-04-01T12:00:01Z", ann, "DISCHARGED", "RNZ02", null)));
        Path out = dir.resolve("indicators.jsonl");

        int code = SafePath.execute("backtest", "--events", dir.resolve("ward.jsonl").toString(), "--as-of", AS_OF, "--out", out.toString());

        assertThat(code).isZero();
        Map<String, Double> v = values(out, "RNZ02", "P1");
        assertThat(v.get("discharge.nctr_in_bed")).as("Ann; Cat left at T, Bob before").isEqualTo(1.0);
        assertThat(v.get("discharge.nctr_delay_7_plus")).as("Ann's 168 hours reach 7 days exactly").isEqualTo(1.0);
        assertThat(v.get("discharge.nctr_delay_14_plus")).isEqualTo(0.0);
        // (T - 7d, T]: Cat's discharge at T is in; Bob's at exactly T - 7d is on the open edge, out.
        assertThat(v.get("discharge.discharges_7d")).isEqualTo(1.0);
        assertThat(v.get("discharge.median_delay_days_28d")).as("median of 5 and 1 days").isEqualTo(3.0);
        // Ann 7 days (the whole window) + Cat 1 day + Bob 0 (ended at the window's open edge) = 8.
        assertThat(v.get("discharge.delayed_bed_days_7d")).isCloseTo(8.0, within(1e-9));
        assertThat(v.get("discharge.readmissions_30d")).as("Bob, under the site and pathway he was discharged from").isEqualTo(1.0);
        assertThat(values(out, "RD130", "P1")).isEmpty();
    }

    static Map<String, Double> values(Path out, String site, String pathway) throws Exception {
        Map<String, Double> v = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out)) {
            JsonNode d = json.readTree(line);
            JsonNode dims = d.get("dimensions");
            if (dims.get("hospital_site").asText().equals(site) && dims.get("pathway").asText().equals(pathway)
                    && !dims.has("delay_reason_family")) {
                assertThat(d.get("as_of").asText()).isEqualTo(AS_OF);
                v.put(d.get("indicator").asText(), d.get("value").asDouble());
            }
        }
        return v;
    }
}
