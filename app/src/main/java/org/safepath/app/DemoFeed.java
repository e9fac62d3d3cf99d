package org.safepath.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

/**
 * The demo's simulated council and how much of it Kafka has acknowledged, kept in the data folder: the
 * simulation is deterministic for its seed and period, so a restart regenerates the same events and feeds only
 * those not yet sent, instead of feeding the same history again.
 */
final class DemoFeed {

    private static final Duration AHEAD = Duration.ofDays(7);
    private static final long SAVE_EVERY_MILLIS = 500;

    private final Path file;
    private final long seed;
    private final Instant from;
    private final Instant until;
    private final List<SimulatedEvent> events;
    private final int alreadySent;
    private volatile int sent;
    private long savedAt;

    private DemoFeed(Path file, long seed, Instant from, Instant until, int alreadySent) {
        this.file = file;
        this.seed = seed;
        this.from = from;
        this.until = until;
        this.alreadySent = alreadySent;
        this.sent = alreadySent;
        this.events = new CouncilSimulator(seed, CouncilSimulator.Rates.county()).generate(from, until);
    }

    /** Carries on with the simulation the data folder holds, or starts one of the last {@code days} days. */
    static DemoFeed resumeOrStart(Path dataDir, long seed, int days, Instant now) {
        Path file = dataDir.resolve("simulator.properties");
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage() + ". Start with --reset.", e);
            }
            Instant until = Instant.parse(p.getProperty("until"));
            if (until.isAfter(now) && Long.parseLong(p.getProperty("seed")) == seed) {
                return new DemoFeed(file, seed, Instant.parse(p.getProperty("from")), until, Integer.parseInt(p.getProperty("sent")));
            }
        }
        return new DemoFeed(file, seed, now.minus(Duration.ofDays(days)), now.plus(AHEAD), 0);
    }

    /** Forgets what was fed: the next start simulates anew. */
    static void clear(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve("simulator.properties"));
    }

    boolean resumed() {
        return alreadySent > 0;
    }

    int total() {
        return events.size();
    }

    int alreadySent() {
        return alreadySent;
    }

    /** The time of the last event already sent by an earlier run. */
    Instant sentUpTo() {
        return alreadySent == 0 ? from : Instant.ofEpochMilli(events.get(alreadySent - 1).occurredAt());
    }

    List<SimulatedEvent> remaining() {
        return events.subList(alreadySent, events.size());
    }

    /** Kafka has acknowledged {@code count} of the remaining events: remembered, at most twice a second. */
    void acknowledged(int count) {
        sent = alreadySent + count;
        long now = System.currentTimeMillis();
        if (now - savedAt >= SAVE_EVERY_MILLIS || sent == events.size()) {
            save();
            savedAt = now;
        }
    }

    synchronized void save() {
        Properties p = new Properties();
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("from", from.toString());
        p.setProperty("until", until.toString());
        p.setProperty("sent", Integer.toString(sent));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "What the demo's simulator has fed to Kafka (acknowledged); --reset clears it");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
