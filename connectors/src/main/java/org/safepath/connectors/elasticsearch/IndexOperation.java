package org.safepath.connectors.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * One whole document to index: its index, its deterministic id, its version (the {@code as_of} event time in
 * millis, written with {@code version_type=external_gte} so an older value never overwrites a newer) and
 * its JSON source.
 */
public record IndexOperation(String index, String id, long version, byte[] source) implements Serializable {

    public String sourceAsString() {
        return new String(source, StandardCharsets.UTF_8);
    }

    /** Bytes the operation takes in a bulk request: the source plus the action line. */
    long sizeInBytes() {
        return source.length + index.length() + id.length() + 64L;
    }
}
