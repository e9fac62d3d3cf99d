package org.safepath.app.files;

import java.io.IOException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Flink's {@code FileSource} format for one event file (JSON Lines or Avro, docs/events.md): a line at a time, parsed
 * in the source's own reading thread and handed on as a {@link FileRecord}. A file is read whole, in its order, by one reader: it is not split, because
 * its order is the order the jobs are to see. Each source is made for one file, so the format knows the file's name
 * for the rejections it reports.
 */
final class EventFileFormat implements StreamFormat<FileRecord> {

    private final String file;

    EventFileFormat(String file) {
        this.file = file;
    }

    @Override
    public Reader<FileRecord> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        EventFiles.Reader lines = new EventFiles.Reader(file, stream);
        FileRecord.Encoder records = new FileRecord.Encoder();
        return new Reader<>() {
            @Override
            public FileRecord read() throws IOException {
                EventFiles.Line line = lines.next();
                return line == null ? null : records.encode(line);
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public Reader<FileRecord> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                                 long fileLen, long splitEnd) throws IOException {
        // No checkpointed offset is ever given (a backtest is not checkpointed): the source skips the records already read.
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<FileRecord> getProducedType() {
        return TypeInformation.of(FileRecord.class);
    }
}
