package org.safepath.connectors.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.safepath.records.DeadLetterReason;

/**
 * The Confluent Schema Registry wire format: magic byte 0, the 4-byte big-endian schema id, then the Avro
 * binary encoding of the record with that writer schema. Decoding never throws: a record that cannot be
 * read comes back as a failure with the reason it would be dead-lettered for.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    private static final int HEADER_LENGTH = 5;

    /** Generic records with timestamps as {@link java.time.Instant}, as the generated classes have them. */
    private static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private final SchemaRegistryClient registry;

    public ConfluentWireFormat(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** Encodes a record with the schema registered under {@code schemaId}. */
    public static byte[] encode(int schemaId, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            DatumWriter<GenericRecord> writer = record instanceof SpecificRecord
                    ? new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForClass(record.getClass()))
                    : new GenericDatumWriter<>(record.getSchema(), DATA);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Avro encoding failed: " + e.getMessage(), e);
        }
    }

    /** Registers (or finds) the record's schema under the subject, then encodes. */
    public byte[] serialize(String subject, GenericRecord record) {
        return encode(registry.register(subject, record.getSchema()), record);
    }

    /** The outcome of reading one message: a record, or why not. */
    public record Decoded(GenericRecord record, int schemaId, DeadLetterReason failure, String detail) {
        public boolean ok() {
            return failure == null;
        }

        static Decoded failed(DeadLetterReason reason, String detail) {
            return new Decoded(null, -1, reason, detail);
        }
    }

    /**
     * Reads the message with its writer schema, resolved to {@code readerSchema} (the version this code was
     * built with): fields a newer producer added are skipped, enum symbols this reader does not know become
     * the enum's default.
     */
    public Decoded decode(byte[] message, Schema readerSchema) {
        if (message == null || message.length < HEADER_LENGTH) {
            return Decoded.failed(DeadLetterReason.UNDECODABLE, "Message of " + (message == null ? 0 : message.length)
                    + " bytes is shorter than the 5-byte Confluent header");
        }
        if (message[0] != MAGIC_BYTE) {
            return Decoded.failed(DeadLetterReason.UNDECODABLE, "First byte is " + message[0]
                    + ", not the Confluent magic byte 0: not written by a schema-registry serializer");
        }
        int schemaId = ByteBuffer.wrap(message, 1, 4).getInt();
        Schema writer;
        try {
            writer = registry.schemaById(schemaId);
        } catch (RegistryException e) {
            if (e.notFound()) {
                return Decoded.failed(DeadLetterReason.UNKNOWN_SCHEMA, "Schema id " + schemaId + " is not in the registry");
            }
            throw e; // the registry is down: not the record's fault, so fail and retry from the checkpoint
        }
        try {
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(writer, readerSchema, DATA);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(message, HEADER_LENGTH, message.length - HEADER_LENGTH, null);
            GenericRecord record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                return Decoded.failed(DeadLetterReason.UNDECODABLE, (message.length - HEADER_LENGTH)
                        + " bytes of Avro hold more than one record of schema id " + schemaId);
            }
            return new Decoded(record, schemaId, null, null);
        } catch (AvroTypeException e) {
            return Decoded.failed(DeadLetterReason.SCHEMA_MISMATCH, "Schema id " + schemaId + " cannot be read as "
                    + readerSchema.getFullName() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Decoded.failed(DeadLetterReason.UNDECODABLE, "Avro body does not match schema id " + schemaId + ": " + e);
        }
    }
}
