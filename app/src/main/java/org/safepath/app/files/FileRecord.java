package org.safepath.app.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.safepath.schemas.EventStream;

/**
 * One line of an event file as a backtest's file source hands it on: the event in Avro binary with its stream and
 * time, or why the line could not be read. A plain Flink POJO, so it moves between operators with Flink's own
 * serializers (no Kryo, no generic records).
 */
public class FileRecord {
    public String file;
    public long line;
    public EventStream stream;
    public long occurredAt;
    public byte[] avro;
    public String reason;
    public String detail;
    public String text;

    public FileRecord() {
    }

    public boolean readable() {
        return reason == null;
    }

    public EventFiles.Rejected rejected() {
        return new EventFiles.Rejected(file, line, reason, detail, text == null ? "" : text);
    }

    private static GenericData data() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        return data;
    }

    /** Turns lines into records, one writer per stream; not thread-safe (one per reading thread). */
    static final class Encoder {
        private final Map<EventStream, GenericDatumWriter<GenericRecord>> writers = new EnumMap<>(EventStream.class);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        private BinaryEncoder encoder;

        FileRecord encode(EventFiles.Line line) throws IOException {
            FileRecord r = new FileRecord();
            if (line.event() == null) {
                EventFiles.Rejected rejected = line.rejected();
                r.file = rejected.file();
                r.line = rejected.line();
                r.reason = rejected.reason();
                r.detail = rejected.detail();
                r.text = rejected.text();
                return r;
            }
            EventFiles.FileEvent e = line.event();
            r.file = e.file();
            r.line = e.line();
            r.stream = e.stream();
            r.occurredAt = e.occurredAt();
            bytes.reset();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            writers.computeIfAbsent(e.stream(), s -> new GenericDatumWriter<>(s.schema(), data())).write(e.record(), encoder);
            encoder.flush();
            r.avro = bytes.toByteArray();
            return r;
        }
    }

    /** Turns records back into Avro records of their stream's schema; not thread-safe (one per operator). */
    static final class Decoder {
        private final Map<EventStream, GenericDatumReader<GenericRecord>> readers = new EnumMap<>(EventStream.class);
        private BinaryDecoder decoder;

        GenericRecord decode(FileRecord r) throws IOException {
            decoder = DecoderFactory.get().binaryDecoder(r.avro, decoder);
            return readers.computeIfAbsent(r.stream, s -> new GenericDatumReader<>(s.schema(), s.schema(), data())).read(null, decoder);
        }
    }
}
