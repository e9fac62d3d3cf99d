package org.safepath.app.files;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.safepath.schemas.EventStream;

/**
 * The JSON Lines event format (docs/events.md): one event per line, {@code "stream"} naming its stream and
 * the event's fields as in its Avro schema, enums by symbol, timestamps in ISO-8601. Strict: an unknown
 * field, a missing required field, an unknown symbol or a bad timestamp is an error that says which.
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {
    }

    /** Why a line could not be read; the reason names a kind, the detail says exactly what. */
    public static final class BadEvent extends Exception {
        public final String reason;

        BadEvent(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    public record Parsed(EventStream stream, GenericRecord record) {
    }

    public static Parsed parse(String line) throws BadEvent {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (Exception e) {
            throw new BadEvent("MALFORMED_JSON", "not a JSON object: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new BadEvent("MALFORMED_JSON", "not a JSON object");
        }
        JsonNode streamName = node.get("stream");
        if (streamName == null || !streamName.isTextual()) {
            throw new BadEvent("UNKNOWN_STREAM", "no \"stream\" field naming the event's stream");
        }
        EventStream stream;
        try {
            stream = EventStream.byName(streamName.asText());
        } catch (IllegalArgumentException e) {
            throw new BadEvent("UNKNOWN_STREAM", "unknown stream '" + streamName.asText() + "'");
        }
        if (!stream.isInput()) {
            throw new BadEvent("UNKNOWN_STREAM", "'" + stream.streamName() + "' is not an input stream");
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove("stream");
        return new Parsed(stream, (GenericRecord) read(fields, stream.schema(), ""));
    }

    private static Object read(JsonNode value, Schema schema, String path) throws BadEvent {
        switch (schema.getType()) {
            case RECORD -> {
                if (!value.isObject()) {
                    throw new BadEvent("WRONG_TYPE", path + " must be an object");
                }
                GenericData.Record r = new GenericData.Record(schema);
                for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw new BadEvent("UNKNOWN_FIELD", "unknown field '" + join(path, name) + "'");
                    }
                }
                for (Schema.Field f : schema.getFields()) {
                    JsonNode v = value.get(f.name());
                    if (v == null || v.isNull()) {
                        if (allowsNull(f.schema())) {
                            r.put(f.name(), null);
                        } else if (f.hasDefaultValue()) {
                            r.put(f.name(), GenericData.get().getDefaultValue(f));
                        } else {
                            throw new BadEvent("MISSING_FIELD", "required field '" + join(path, f.name()) + "' is missing");
                        }
                    } else {
                        r.put(f.name(), read(v, f.schema(), join(path, f.name())));
                    }
                }
                return r;
            }
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return read(value, branch, path);
                    }
                }
                throw new BadEvent("WRONG_TYPE", path + " has no non-null type");
            }
            case ENUM -> {
                if (!value.isTextual() || !schema.getEnumSymbols().contains(value.asText()) || "UNKNOWN".equals(value.asText())) {
                    throw new BadEvent("UNKNOWN_CODE", path + " '" + value.asText() + "' is not one of "
                            + schema.getEnumSymbols().stream().filter(s -> !s.equals("UNKNOWN")).toList());
                }
                return new GenericData.EnumSymbol(schema, value.asText());
            }
            case LONG -> {
                if (schema.getLogicalType() != null && schema.getLogicalType().getName().equals("timestamp-millis")) {
                    if (!value.isTextual()) {
                        throw new BadEvent("INVALID_TIMESTAMP", path + " must be an ISO-8601 timestamp such as 2026-03-02T09:00:00Z");
                    }
                    try {
                        return Instant.parse(value.asText());
                    } catch (DateTimeParseException e) {
                        throw new BadEvent("INVALID_TIMESTAMP", path + " '" + value.asText()
                                + "' is not an ISO-8601 timestamp such as 2026-03-02T09:00:00Z");
                    }
                }
                requireType(value.canConvertToLong() && value.isIntegralNumber(), path, "a whole number");
                return value.asLong();
            }
            case INT -> {
                requireType(value.canConvertToInt() && value.isIntegralNumber(), path, "a whole number");
                return value.asInt();
            }
            case DOUBLE -> {
                requireType(value.isNumber(), path, "a number");
                return value.asDouble();
            }
            case BOOLEAN -> {
                requireType(value.isBoolean(), path, "true or false");
                return value.asBoolean();
            }
            case STRING -> {
                requireType(value.isTextual(), path, "a string");
                return value.asText();
            }
            default -> throw new BadEvent("WRONG_TYPE", path + " has a type the file format does not carry: " + schema.getType());
        }
    }

    private static void requireType(boolean ok, String path, String what) throws BadEvent {
        if (!ok) {
            throw new BadEvent("WRONG_TYPE", path + " must be " + what);
        }
    }

    private static boolean allowsNull(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** One line of the format for a record of a stream (the simulator's files, examples in the docs). */
    public static String write(EventStream stream, GenericRecord record) {
        ObjectNode out = JSON.createObjectNode();
        out.put("stream", stream.streamName());
        writeFields(out, record);
        return out.toString();
    }

    private static void writeFields(ObjectNode out, GenericRecord record) {
        for (Schema.Field f : record.getSchema().getFields()) {
            Object v = record.get(f.name());
            if (v == null) {
                continue;
            }
            out.set(f.name(), toJson(v));
        }
    }

    private static JsonNode toJson(Object v) {
        if (v instanceof GenericRecord r) {
            ObjectNode o = JSON.createObjectNode();
            writeFields(o, r);
            return o;
        }
        if (v instanceof Instant i) {
            return JSON.getNodeFactory().textNode(i.toString());
        }
        if (v instanceof Number || v instanceof Boolean) {
            return JSON.valueToTree(v);
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return JSON.valueToTree(v);
        }
        return JSON.getNodeFactory().textNode(v.toString());
    }

}
