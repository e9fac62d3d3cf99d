package org.safepath.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.safepath.events.DischargeEventType;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.records.DeadLetterReason;

/** The wire format's framing, checked without a registry (the round trip through one is an integration test). */
class ConfluentWireFormatTest {

    private final ConfluentWireFormat wire = new ConfluentWireFormat(new SchemaRegistryClient(RegistrySettings.of("http://127.0.0.1:9")));

    @Test
    void encodingIsTheMagicByteTheBigEndianSchemaIdAndTheAvroBody() {
        Instant at = Instant.parse("2026-03-02T09:00:00Z");
        HospitalDischargeEvent e = HospitalDischargeEvent.newBuilder().setEventId("e1").setOccurredAt(at).setRecordedAt(at)
                .setSourceSystem("s").setLocalAuthority("E06000054").setPerson(null)
                .setEventType(DischargeEventType.ADMITTED).setHospitalSite("RNZ02").build();
        byte[] bytes = ConfluentWireFormat.encode(258, e);
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(258);
        assertThat(new byte[]{bytes[1], bytes[2], bytes[3], bytes[4]}).containsExactly(0, 0, 1, 2);
        // The Avro body starts with the event id: length 2 as a zig-zag varint (4), then "e1".
        assertThat(new byte[]{bytes[5], bytes[6], bytes[7]}).containsExactly(4, 'e', '1');
    }

    @Test
    void bytesTooShortOrWithoutTheMagicByteAreUndecodableNotAnException() {
        assertThat(wire.decode(new byte[]{0, 0, 1}, HospitalDischargeEvent.getClassSchema()).failure())
                .isEqualTo(DeadLetterReason.UNDECODABLE);
        ConfluentWireFormat.Decoded json = wire.decode("{\"event_id\":1}".getBytes(), HospitalDischargeEvent.getClassSchema());
        assertThat(json.failure()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(json.detail()).contains("magic byte");
        assertThat(wire.decode(null, HospitalDischargeEvent.getClassSchema()).ok()).isFalse();
    }
}
