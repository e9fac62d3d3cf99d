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
 * the same history file, byte for byte.
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
        BacktestCommand.Result second = BacktestCommand.run(List.of(events), to.toEpochMilli(), null, null,
                dir.resolve("b/current.jsonl"), dir.resolve("b/history.jsonl"), null);
        assertThat(first.rejected()).isZero();
        assertThat(first.historyDocuments()).isEqualTo(Files.lines(dir.resolve("a/history.jsonl")).count()).isGreaterThan(10_000);
        assertThat(Files.mismatch(dir.resolve("a/history.jsonl"), dir.resolve("b/history.jsonl"))).as("first byte that differs").isEqualTo(-1L);
        assertThat(second.historyDocuments()).isEqualTo(first.historyDocuments());

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
        assertThat(history).isEqualTo(asOf);
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
