package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safepath.simulator.CouncilSimulator;

/**
 * The hourly history a backtest streams to its file while it runs (files read in parallel, an hour written once the
 * watermark has passed it) says, for an hour, what a separate backtest as of that hour says; and the same files give
 * the same values every run.
 */
class BacktestHistoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anHoursHistoryIsWhatABacktestAsOfThatHourSaysAndTheFileIsTheSameEveryRun(@TempDir Path dir) throws Exception {
        Instant to = Instant.parse("2026-05-01T00:00:00Z");
        Path events = dir.resolve("events");
        EventFileWriter.write(events, new CouncilSimulator(3, CouncilSimulator.Rates.county()).generate(to.minus(Duration.ofDays(20)), to));

        BacktestCommand.Result first = BacktestCommand.run(List.of(events), to.toEpochMilli(), null, null,
                dir.resolve("a/current.jsonl"), dir.resolve("a/history.jsonl"), null);
        BacktestCommand.run(List.of(events), to.toEpochMilli(), null, null,
                dir.resolve("b/current.jsonl"), dir.resolve("b/history.jsonl"), null);
        assertThat(first.rejected()).isZero();
        assertThat(first.historyDocuments()).isEqualTo(Files.lines(dir.resolve("a/history.jsonl")).count()).isGreaterThan(10_000);
        // Every row and hour both runs wrote has the same value. Which hours of a row that emptied and filled again are
        // written (with the value 0) depends on whether its next fact arrived before the daily clean-up (the files are
        // read in parallel); any other difference would be a fault.
        Map<String, Double> a = values(dir.resolve("a/history.jsonl"));
        Map<String, Double> b = values(dir.resolve("b/history.jsonl"));
        assertSameValues(a, b);
        assertThat(Files.readAllLines(dir.resolve("b/current.jsonl"))).isEqualTo(Files.readAllLines(dir.resolve("a/current.jsonl")));

        // The history of one hour, a later line for the same row replacing an earlier one.
        Instant hour = to.minus(Duration.ofDays(6)).plus(Duration.ofHours(7));
        Map<String, Double> history = new HashMap<>();
        try (var lines = Files.lines(dir.resolve("a/history.jsonl"))) {
            lines.map(BacktestHistoryTest::read).filter(d -> d.get("hour").asText().equals(hour.toString()))
                    .forEach(d -> history.put(row(d), d.get("value").asDouble()));
        }
        assertThat(history).hasSizeGreaterThan(500);

        // A backtest as of that hour, on its own: the rows evaluated at that hour have the same values.
        BacktestCommand.run(List.of(events), hour.toEpochMilli(), null, null, dir.resolve("asof/current.jsonl"), null, null);
        Map<String, Double> asOf = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("asof/current.jsonl"))) {
            JsonNode d = read(line);
            if (d.get("as_of").asText().equals(hour.toString())) {
                asOf.put(row(d), d.get("value").asDouble());
            }
        }
        // (the same holds for rows that emptied: one may carry a 0 the other has no line for.)
        assertSameValues(history, asOf);
    }

    /** The same value wherever both have the row; a row only one has is 0 there; and nearly every row is in both. */
    private static void assertSameValues(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> both = new HashMap<>(a);
        both.keySet().retainAll(b.keySet());
        assertThat(both).hasSizeGreaterThan(a.size() * 98 / 100).hasSizeGreaterThan(b.size() * 98 / 100);
        both.forEach((row, value) -> assertThat(b.get(row)).as(row).isEqualTo(value));
        a.forEach((row, value) -> assertThat(b.containsKey(row) || value == 0).as("%s only in one, value %s", row, value).isTrue());
        b.forEach((row, value) -> assertThat(a.containsKey(row) || value == 0).as("%s only in the other, value %s", row, value).isTrue());
    }

    /** Each row and hour's value in a history file, a later line replacing an earlier one. */
    private static Map<String, Double> values(Path file) throws Exception {
        Map<String, Double> values = new HashMap<>();
        try (var lines = Files.lines(file)) {
            lines.map(BacktestHistoryTest::read).forEach(d -> values.put(row(d) + " " + d.get("hour").asText(), d.get("value").asDouble()));
        }
        return values;
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String row(JsonNode d) {
        return d.get("indicator").asText() + " " + d.get("dimensions");
    }
}
