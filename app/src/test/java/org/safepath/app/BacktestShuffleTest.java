package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safepath.app.files.EventFiles;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

/**
 * Sources do not deliver in event-time order. The same two months of safeguarding, brokerage and provider news,
 * handed to the jobs with each event delayed by up to two days (well inside the 7-day lateness, far beyond the
 * watermark's out-of-orderness, so most of them arrive late), give the same values and the same alerts.
 */
class BacktestShuffleTest {

    private static final long DAY = 86_400_000L;

    @Test
    void eventsShuffledWithinTheLatenessGiveTheSameValuesAndAlerts(@TempDir Path dir) throws Exception {
        Instant to = Instant.parse("2026-06-01T00:00:00Z");
        List<SimulatedEvent> events = new CouncilSimulator(11, CouncilSimulator.Rates.county())
                .generate(to.minusSeconds(60L * 86_400), to).stream()
                .filter(e -> e.stream() == EventStream.SAFEGUARDING || e.stream() == EventStream.BROKERAGE
                        || e.stream() == EventStream.PROVIDER_CONCERNS || e.stream() == EventStream.PROVIDER_REFERENCE)
                .toList();
        // Each event sorted by its time plus a random delay of up to two days: arrival order, not event-time order.
        Random random = new Random(5);
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(new long[]{events.get(i).occurredAt() + (long) (random.nextDouble() * 2 * DAY), i});
        }
        order.sort((a, b) -> Long.compare(a[0], b[0]));
        List<SimulatedEvent> shuffled = new ArrayList<>();
        order.forEach(o -> shuffled.add(events.get((int) o[1])));
        assertThat(shuffled).isNotEqualTo(events);
        // Some screenings now reach the job before the concern they screen, some sourcings before their request.
        java.util.Set<String> seen = new java.util.HashSet<>();
        long screenedFirst = 0;
        for (SimulatedEvent e : shuffled) {
            if (e.record() instanceof org.safepath.events.SafeguardingEvent s) {
                if (s.getEventType() == org.safepath.events.SafeguardingEventType.CONCERN_RECEIVED) {
                    seen.add(s.getConcernId());
                } else if (!seen.contains(s.getConcernId())) {
                    screenedFirst++;
                }
            }
        }
        assertThat(screenedFirst).as("steps arriving before the concern they follow").isGreaterThan(10);

        long asOf = to.toEpochMilli() - DAY;
        Path ordered = run(dir.resolve("ordered"), events, asOf);
        Path moved = run(dir.resolve("shuffled"), shuffled, asOf);
        List<String> orderedDocs = Files.readAllLines(ordered.resolve("indicators.jsonl"));
        assertThat(orderedDocs).hasSizeGreaterThan(500);
        assertThat(Files.readAllLines(moved.resolve("indicators.jsonl"))).isEqualTo(orderedDocs);
        List<String> orderedAlerts = Files.readAllLines(ordered.resolve("alerts.jsonl"));
        assertThat(orderedAlerts).isNotEmpty();
        assertThat(Files.readAllLines(moved.resolve("alerts.jsonl"))).isEqualTo(orderedAlerts);
    }

    private static Path run(Path dir, List<SimulatedEvent> events, long asOf) throws Exception {
        Files.createDirectories(dir);
        List<EventFiles.FileEvent> arrivals = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            SimulatedEvent e = events.get(i);
            arrivals.add(new EventFiles.FileEvent(e.stream(), (GenericRecord) e.record(), "arrivals", i + 1, e.occurredAt()));
        }
        BacktestCommand.Result r = BacktestCommand.run(EventFiles.inArrivalOrder(arrivals), asOf, null, null,
                dir.resolve("indicators.jsonl"), null, dir.resolve("alerts.jsonl"));
        assertThat(r.rejectedByReason()).as("rejected").isEmpty();
        return dir;
    }
}
