package org.safepath.connectors.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.safepath.schemas.IndicatorDefinition;

/**
 * Turns an indicator value into the documents that hold it: one in the current index (id from the indicator
 * and the values of the dimensions that identify its subject) and one per hour in history (the same, plus the
 * hour). Replaying the same events yields the same ids, and the as_of version keeps the newest. A dimension the
 * catalogue calls an attribute (a provider location's local authority) is in the document but not in its id, so
 * learning it later replaces the document instead of leaving a second one behind.
 */
public final class IndicatorDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;

    private IndicatorDocuments() {
    }

    /**
     * An indicator's value for one combination of dimension values, as of an event time; {@code attributes}: the
     * dimensions that describe its subject without identifying it.
     */
    public record Value(String indicator, Map<String, String> dimensions, double value, String unit, String rag,
                       boolean peopleCount, long asOf, Map<String, Double> components, Set<String> attributes) {

        /** A value every dimension of which identifies it. */
        public Value(String indicator, Map<String, String> dimensions, double value, String unit, String rag,
                     boolean peopleCount, long asOf, Map<String, Double> components) {
            this(indicator, dimensions, value, unit, rag, peopleCount, asOf, components, Set.of());
        }
    }

    /** The document value of a typed indicator value; whether it counts people, and its attributes, from the catalogue. */
    public static Value of(org.safepath.records.IndicatorValue v, IndicatorDefinition definition) {
        return new Value(v.getIndicator(), v.getDimensions(), v.getValue(), v.getUnit(), v.getRag().name(), definition.peopleCount(),
                v.getAsOf().toEpochMilli(), v.getComponents(), Set.copyOf(definition.attributes()));
    }

    public static IndexOperation current(Value v) {
        return new IndexOperation(SafePathIndices.CURRENT, documentId(v, null), v.asOf(), source(v, null, false));
    }

    /**
     * An early current value, from events the watermark has not passed yet: marked {@code provisional}, and replaced
     * by the exact value (a later {@code as_of}) within about a minute.
     */
    public static IndexOperation provisionalCurrent(Value v) {
        return new IndexOperation(SafePathIndices.CURRENT, documentId(v, null), v.asOf(), source(v, null, true));
    }

    /** The history document for the hour that contains {@code asOf}: the last value in an hour wins. */
    public static IndexOperation history(Value v) {
        long hour = Math.floorDiv(v.asOf(), HOUR) * HOUR;
        return new IndexOperation(SafePathIndices.historyIndex(hour), documentId(v, hour),
                v.asOf(), source(v, hour, false));
    }

    private static String documentId(Value v, Long hour) {
        StringBuilder canonical = new StringBuilder(v.indicator());
        new TreeMap<>(v.dimensions()).forEach((k, val) -> {
            if (!v.attributes().contains(k)) {
                canonical.append('\u001f').append(k).append('=').append(val);
            }
        });
        if (hour != null) {
            canonical.append('\u001f').append("hour=").append(hour);
        }
        return hashedId(canonical.toString());
    }

    /** A deterministic document id: the first 128 bits of the SHA-256 of a canonical description, in hex. */
    public static String hashedId(String canonical) {
        byte[] digest = SHA_256.get().digest(canonical.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** One digest per thread, not a provider lookup per document: a backtest writes millions. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** The document, written field by field (a backtest writes millions: no tree of nodes first). */
    private static byte[] source(Value v, Long hour, boolean provisional) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(384);
        try (JsonGenerator doc = JSON.getFactory().createGenerator(bytes)) {
            doc.writeStartObject();
            doc.writeStringField("indicator", v.indicator());
            doc.writeStringField("domain", v.indicator().substring(0, v.indicator().indexOf('.')));
            doc.writeObjectFieldStart("dimensions");
            for (Map.Entry<String, String> d : new TreeMap<>(v.dimensions()).entrySet()) {
                doc.writeStringField(d.getKey(), d.getValue());
            }
            doc.writeEndObject();
            doc.writeNumberField("value", v.value());
            doc.writeStringField("unit", v.unit());
            doc.writeStringField("rag", v.rag());
            doc.writeBooleanField("people_count", v.peopleCount());
            doc.writeStringField("as_of", Instant.ofEpochMilli(v.asOf()).toString());
            if (v.components() != null && !v.components().isEmpty()) {
                doc.writeObjectFieldStart("components");
                for (Map.Entry<String, Double> c : new TreeMap<>(v.components()).entrySet()) {
                    doc.writeFieldName(c.getKey());
                    if (c.getValue() == null) {
                        doc.writeNull();
                    } else {
                        doc.writeNumber(c.getValue());
                    }
                }
                doc.writeEndObject();
            }
            if (hour != null) {
                doc.writeStringField("hour", Instant.ofEpochMilli(hour).toString());
            }
            if (provisional) {
                doc.writeBooleanField("provisional", true);
            }
            doc.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
