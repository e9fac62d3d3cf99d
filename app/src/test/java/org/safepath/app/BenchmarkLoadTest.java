package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.safepath.simulator.CouncilSimulator;
import org.safepath.simulator.SimulatedEvent;

/** The benchmark's steady load: each round through the population's events is about new subjects, nothing else changes. */
class BenchmarkLoadTest {

    private static final List<String> SUBJECT_IDS = List.of("concern_id", "request_id", "wait_id");

    @Test
    void aLaterRoundNamesNewPeopleAndCasesAndKeepsEverythingElse() {
        List<SimulatedEvent> events = new CouncilSimulator(42, CouncilSimulator.Rates.county())
                .generate(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-08T00:00:00Z"));
        int people = 0;
        int subjects = 0;
        for (SimulatedEvent e : events) {
            GenericRecord original = (GenericRecord) e.record();
            GenericRecord load = (GenericRecord) SpecificData.get().deepCopy(e.record().getSchema(), e.record());
            ThroughputBenchmark.newSubjects(load, "-r3");
            for (org.apache.avro.Schema.Field f : original.getSchema().getFields()) {
                String name = f.name();
                if (name.equals("person") && original.get("person") != null) {
                    GenericRecord before = (GenericRecord) original.get("person");
                    GenericRecord after = (GenericRecord) load.get("person");
                    String id = String.valueOf(before.get("nhs_number") != null ? before.get("nhs_number") : before.get("council_person_id"));
                    assertThat(after.get("nhs_number")).isNull();
                    assertThat(String.valueOf(after.get("council_person_id"))).isEqualTo(id + "-r3");
                    people++;
                } else if (SUBJECT_IDS.contains(name) && original.get(name) != null) {
                    assertThat(String.valueOf(load.get(name))).isEqualTo(original.get(name) + "-r3");
                    subjects++;
                } else {
                    assertThat(Objects.toString(load.get(name))).as("%s of %s", name, e.eventId()).isEqualTo(Objects.toString(original.get(name)));
                }
            }
        }
        assertThat(people).isGreaterThan(100);
        assertThat(subjects).isGreaterThan(100);
    }
}
