package org.safepath.connectors.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns an indicator value into the documents that hold it: one in the current index (id from the indicator
 * and its dimension values) and one per hour in history (the same, plus the hour). Replaying the same events
 * yields the same ids, and the as_of version keeps the newest.
 */
public final class IndicatorDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;

    private IndicatorDocuments() {
    }

    /** An indicator's value for one combination of dimension values, as of an event time. */
    public record Value(String indicator, Map<String, String> dimensions, double value, String unit, String rag,
                       boolean peopleCount, long asOf, Map<String, Double> components) {
    }

    /** The document value of a typed indicator value; whether it counts people comes from the catalogue. */
    public static Value of(org.safepath.records.IndicatorValue v, boolean peopleCount) {
        return new Value(v.getIndicator(), v.getDimensions(), v.getValue(), v.getUnit(), v.getRag().name(), peopleCount,
                v.getAsOf().toEpochMilli(), v.getComponents());
    }

    public static IndexOperation current(Value v) {
        return new IndexOperation(SafePathIndices.CURRENT, documentId(v.indicator(), v.dimensions(), null), v.asOf(), source(v, null, false));
    }

    /**
     * An early current value, from events the watermark has not passed yet: marked {@code provisional}, and replaced
     * by the exact value (a later {@code as_of}) within about a minute.
     */
    public static IndexOperation provisionalCurrent(Value v) {
        return new IndexOperation(SafePathIndices.CURRENT, documentId(v.indicator(), v.dimensions(), null), v.asOf(), source(v, null, true));
    }

    /** The history document for the hour that contains {@code asOf}: the last value in an hour wins. */
    public static IndexOperation history(Value v) {
        long hour = Math.floorDiv(v.asOf(), HOUR) * HOUR;
        return new IndexOperation(SafePathIndices.historyIndex(hour), documentId(v.indicator(), v.dimensions(), hour),
                v.asOf(), source(v, hour, false));
    }

    public static String documentId(String indicator, Map<String, String> dimensions, Long hour) {
        StringBuilder canonical = new StringBuilder(indicator);
        new TreeMap<>(dimensions).forEach((k, val) -> canonical.append('\u001f').append(k).append('=').append(val));
        if (hour != null) {
            canonical.append('\u001f').append("hour=").append(hour);
        }
        return hashedId(canonical.toString());
    }

    /** A deterministic document id: the first 128 bits of the SHA-256 of a canonical description, in hex. */
    public static String hashedId(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] source(Value v, Long hour, boolean provisional) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("indicator", v.indicator());
        doc.put("domain", v.indicator().substring(0, v.indicator().indexOf('.')));
        ObjectNode dims = doc.putObject("dimensions");
        new TreeMap<>(v.dimensions()).forEach(dims::put);
        doc.put("value", v.value());
        doc.put("unit", v.unit());
        doc.put("rag", v.rag());
        doc.put("people_count", v.peopleCount());
        doc.put("as_of", Instant.ofEpochMilli(v.asOf()).toString());
        if (v.components() != null && !v.components().isEmpty()) {
            ObjectNode c = doc.putObject("components");
            new TreeMap<>(v.components()).forEach(c::put);
        }
        if (hour != null) {
            doc.put("hour", Instant.ofEpochMilli(hour).toString());
        }
        if (provisional) {
            doc.put("provisional", true);
        }
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
