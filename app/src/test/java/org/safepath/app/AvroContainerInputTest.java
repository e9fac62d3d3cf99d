package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safepath.app.files.EventJson;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

class AvroContainerInputTest {

    @Test
    void theSameEventsAsJsonLinesOrAsAnAvroContainerFileGiveTheSameIndicators(@TempDir Path dir) throws Exception {
        Instant to = Instant.parse("2026-05-01T00:00:00Z");
        List<SimulatedEvent> events = new CouncilSimulator(3, CouncilSimulator.Rates.county())
                .generate(to.minusSeconds(20 * 86_400L), to).stream()
                .filter(e -> e.stream() == EventStream.HOSPITAL_DISCHARGE).toList();
        assertThat(events).hasSizeGreaterThan(500);

        Path json = dir.resolve("discharge.jsonl");
        Files.write(json, events.stream().map(e -> EventJson.write(e.stream(), (org.apache.avro.generic.GenericRecord) e.record())).toList());
        Path avro = dir.resolve("discharge.avro");
        try (DataFileWriter<org.safepath.events.HospitalDischargeEvent> w = new DataFileWriter<>(
                new SpecificDatumWriter<>(org.safepath.events.HospitalDischargeEvent.class))) {
            w.create(org.safepath.events.HospitalDischargeEvent.getClassSchema(), avro.toFile());
            for (SimulatedEvent e : events) {
                w.append((org.safepath.events.HospitalDischargeEvent) e.record());
            }
        }

        long asOf = Instant.parse("2026-04-30T12:00:00Z").toEpochMilli();
        Path fromJson = dir.resolve("json-indicators.jsonl");
        Path fromAvro = dir.resolve("avro-indicators.jsonl");
        assertThat(SafePathFiles.backtest(List.of(json), asOf, fromJson)).isZero();
        assertThat(SafePathFiles.backtest(List.of(avro), asOf, fromAvro)).isZero();
        assertThat(Files.readAllLines(fromAvro)).hasSizeGreaterThan(100).isEqualTo(Files.readAllLines(fromJson));
    }
}
