package org.safepath.app.files;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.connectors.elasticsearch.IndexOperation;

/**
 * Writes a backtest's hourly history documents to a JSON Lines file as the run goes, in bounded memory: an hour's
 * documents are held until the watermark passes the hour (when every row's value for it has been written), then
 * written sorted, so the same events always give the same file. Hours come in order; a late event that rewrites
 * an hour already written appends that hour's documents again, and a later line for the same indicator, dimensions
 * and hour replaces an earlier one (as indexing it by its id does). Run with parallelism 1: one file.
 */
public final class HistoryFile extends ProcessFunction<IndexOperation, Void> {

    /** The accumulator counting the lines written. */
    public static final String WRITTEN = "backtest-history-lines";
    private static final long HOUR = 3_600_000L;

    private final String file;
    private transient BufferedWriter out;
    private transient TreeMap<Long, Map<String, IndexOperation>> byHour;
    private transient LongCounter written;

    public HistoryFile(Path file) {
        this.file = file.toAbsolutePath().toString();
    }

    @Override
    public void open(OpenContext context) throws Exception {
        Path path = Path.of(file);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        byHour = new TreeMap<>();
        written = new LongCounter();
        getRuntimeContext().addAccumulator(WRITTEN, written);
    }

    @Override
    public void processElement(IndexOperation op, Context ctx, Collector<Void> none) throws Exception {
        long hour = Math.floorDiv(op.version(), HOUR) * HOUR;
        byHour.computeIfAbsent(hour, h -> new HashMap<>()).merge(op.id(), op, (a, b) -> b.version() >= a.version() ? b : a);
        long watermark = ctx.timerService().currentWatermark();
        while (!byHour.isEmpty() && byHour.firstKey() <= watermark) {
            write(byHour.pollFirstEntry().getValue());
        }
    }

    private void write(Map<String, IndexOperation> hour) throws Exception {
        List<String> lines = new ArrayList<>(hour.size());
        hour.values().forEach(op -> lines.add(op.sourceAsString()));
        lines.sort(null);
        for (String line : lines) {
            out.write(line);
            out.newLine();
        }
        written.add(lines.size());
    }

    @Override
    public void close() throws Exception {
        if (out != null) {
            // The end of the input: every hour still held is complete.
            for (Map<String, IndexOperation> hour : byHour.values()) {
                write(hour);
            }
            byHour.clear();
            out.close();
        }
    }
}
