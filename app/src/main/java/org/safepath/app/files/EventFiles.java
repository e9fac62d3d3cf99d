package org.safepath.app.files;

import java.io.BufferedReader;
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
import org.apache.avro.file.DataFileReader;
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
            String name = path.getFileName().toString();
            if (name.endsWith(".avro")) {
                files.readAvro(path);
            } else {
                files.readJsonLines(path);
            }
        }
        // Event-time order; ties keep file order, so the same files always give the same sequence.
        files.events.sort(Comparator.comparingLong(FileEvent::occurredAt));
        return files;
    }

    private static List<Path> expand(List<Path> paths) throws IOException {
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

    private void readJsonLines(Path path) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                read++;
                try {
                    EventJson.Parsed parsed = EventJson.parse(text);
                    events.add(new FileEvent(parsed.stream(), parsed.record(), path.toString(), line, occurredAt(parsed.record())));
                } catch (EventJson.BadEvent e) {
                    rejected.add(new Rejected(path.toString(), line, e.reason, e.getMessage(), text));
                }
            }
        }
    }

    private void readAvro(Path path) throws IOException {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        Schema writer;
        try (DataFileReader<GenericRecord> probe = new DataFileReader<>(path.toFile(), new GenericDatumReader<>())) {
            writer = probe.getSchema();
        }
        EventStream stream = null;
        for (EventStream s : EventStream.values()) {
            if (s.isInput() && s.schema().getFullName().equals(writer.getFullName())) {
                stream = s;
            }
        }
        if (stream == null) {
            read++;
            rejected.add(new Rejected(path.toString(), 0, "UNKNOWN_STREAM", "records of " + writer.getFullName()
                    + " are not events of any SafePath stream", ""));
            return;
        }
        try (DataFileReader<GenericRecord> in = new DataFileReader<>(path.toFile(), new GenericDatumReader<>(writer, stream.schema(), data))) {
            long n = 0;
            while (in.hasNext()) {
                n++;
                read++;
                GenericRecord r = in.next();
                events.add(new FileEvent(stream, r, path.toString(), n, occurredAt(r)));
            }
        }
    }

    /** Event time: occurred_at, or updated_at for reference data. */
    private static long occurredAt(GenericRecord r) {
        Object t = r.hasField("occurred_at") ? r.get("occurred_at") : r.hasField("updated_at") ? r.get("updated_at") : null;
        return t instanceof java.time.Instant i ? i.toEpochMilli() : t == null ? 0 : ((Number) t).longValue();
    }
}
