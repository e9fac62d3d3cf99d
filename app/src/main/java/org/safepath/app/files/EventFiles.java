package org.safepath.app.files;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.safepath.schemas.EventStream;

/**
 * Reads event files: JSON Lines ({@code .jsonl}, {@code .json}) and Avro object container files ({@code .avro});
 * a folder means every such file in it. Every event keeps its file and line (or record number), so a
 * rejection can say exactly where.
 */
public final class EventFiles {

    /** An event read from a file. */
    public record FileEvent(EventStream stream, GenericRecord record, String file, long line, long occurredAt) {
    }

    /** A line that could not be applied, with where it is and why. */
    public record Rejected(String file, long line, String reason, String detail, String text) {
        public String message() {
            return file + ":" + line + ": " + reason + ": " + detail;
        }
    }

    public final List<FileEvent> events = new ArrayList<>();
    public final List<Rejected> rejected = new ArrayList<>();
    public long read;

    /** Events already read, in the order given: what a source delivering out of event-time order hands over. */
    public static EventFiles inArrivalOrder(List<FileEvent> events) {
        EventFiles files = new EventFiles();
        files.events.addAll(events);
        files.read = events.size();
        return files;
    }

    public static EventFiles read(List<Path> paths) throws IOException {
        EventFiles files = new EventFiles();
        for (Path path : expand(paths)) {
            try (Reader in = new Reader(path.toString(), Files.newInputStream(path))) {
                for (Line line = in.next(); line != null; line = in.next()) {
                    files.read++;
                    if (line.event() != null) {
                        files.events.add(line.event());
                    } else {
                        files.rejected.add(line.rejected());
                    }
                }
            }
        }
        // Event-time order; ties keep file order, so the same files always give the same sequence.
        files.events.sort(Comparator.comparingLong(FileEvent::occurredAt));
        return files;
    }

    /** The event files these paths name: the files, and every event file in the folders, by name. */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IOException("No such event file or folder: " + p);
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".jsonl") || f.toString().endsWith(".json") || f.toString().endsWith(".avro"))
                            .sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** One line of a JSON Lines file (or one record of an Avro file): its event, or why it could not be read. */
    public record Line(FileEvent event, Rejected rejected) {
    }

    /**
     * Reads one event file from a stream, a line (or Avro record) at a time, so a file of any size is read in
     * bounded memory: by the backtest's file sources and by replay alike.
     */
    public static final class Reader implements Closeable {
        private final String file;
        private final BufferedReader text;
        private final DataFileStream<GenericRecord> avro;
        private EventStream avroStream;
        private Rejected unreadable;
        private long line;

        public Reader(String file, InputStream in) throws IOException {
            this.file = file;
            if (file.endsWith(".avro")) {
                this.text = null;
                GenericData data = new GenericData();
                data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
                GenericDatumReader<GenericRecord> records = new GenericDatumReader<>(null, null, data);
                this.avro = new DataFileStream<>(in, records);
                Schema writer = avro.getSchema();
                for (EventStream s : EventStream.values()) {
                    if (s.isInput() && s.schema().getFullName().equals(writer.getFullName())) {
                        avroStream = s;
                    }
                }
                if (avroStream == null) {
                    unreadable = new Rejected(file, 0, "UNKNOWN_STREAM", "records of " + writer.getFullName()
                            + " are not events of any SafePath stream", "");
                } else {
                    records.setExpected(avroStream.schema());
                }
            } else {
                this.avro = null;
                this.text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            }
        }

        /** The next line, or null at the end of the file. */
        public Line next() throws IOException {
            if (avro != null) {
                if (unreadable != null) {
                    Rejected r = unreadable;
                    unreadable = null;
                    avroStream = null;
                    return new Line(null, r);
                }
                if (avroStream == null || !avro.hasNext()) {
                    return null;
                }
                GenericRecord r = avro.next();
                return new Line(new FileEvent(avroStream, r, file, ++line, occurredAt(r)), null);
            }
            String t;
            do {
                t = text.readLine();
                line++;
            } while (t != null && t.isBlank());
            if (t == null) {
                return null;
            }
            try {
                EventJson.Parsed parsed = EventJson.parse(t);
                return new Line(new FileEvent(parsed.stream(), parsed.record(), file, line, occurredAt(parsed.record())), null);
            } catch (EventJson.BadEvent e) {
                return new Line(null, new Rejected(file, line, e.reason, e.getMessage(), t));
            }
        }

        @Override
        public void close() throws IOException {
            if (avro != null) {
                avro.close();
            } else {
                text.close();
            }
        }
    }

    /** Event time: occurred_at, or updated_at for reference data. */
    private static long occurredAt(GenericRecord r) {
        Object t = r.hasField("occurred_at") ? r.get("occurred_at") : r.hasField("updated_at") ? r.get("updated_at") : null;
        return t instanceof java.time.Instant i ? i.toEpochMilli() : t == null ? 0 : ((Number) t).longValue();
    }
}
