package org.safepath.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class EventContractsTest {

    @Test
    void everyInputEventCarriesTheCommonHeader() {
        for (EventStream s : EventStream.values()) {
            if (!s.isInput() || s == EventStream.PROVIDER_REFERENCE) {
                continue;
            }
            for (String field : List.of("event_id", "occurred_at", "recorded_at", "source_system", "local_authority")) {
                assertThat(s.schema().getField(field)).as("%s.%s", s.streamName(), field).isNotNull();
            }
            assertThat(s.schema().getField("occurred_at").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
        }
    }

    @Test
    void everyCodeListHasAnUnknownDefaultSoANewerProducersCodeNeverBreaksAnOlderReader() {
        List<Schema> enums = new ArrayList<>();
        for (EventStream s : EventStream.values()) {
            collectEnums(s.schema(), enums);
        }
        assertThat(enums).hasSizeGreaterThan(20);
        for (Schema e : enums) {
            assertThat(e.getEnumDefault()).as(e.getFullName()).isNotNull();
            assertThat(e.getEnumSymbols()).as(e.getFullName()).contains(e.getEnumDefault());
        }
    }

    @Test
    void codeListsAreSpelledAsTheNationalStandardsInUpperSnakeCase() {
        Schema risk = EventStream.SAFEGUARDING.schema().getField("type_of_risk").schema().getTypes().get(1);
        assertThat(risk.getEnumSymbols()).contains("NEGLECT_AND_ACTS_OF_OMISSION", "FINANCIAL_OR_MATERIAL", "SELF_NEGLECT",
                "MODERN_SLAVERY", "DOMESTIC_ABUSE");
        Schema location = EventStream.SAFEGUARDING.schema().getField("location_of_risk").schema().getTypes().get(1);
        assertThat(location.getEnumSymbols()).contains("CARE_HOME_NURSING", "IN_THE_COMMUNITY_EXCLUDING_COMMUNITY_SERVICES");
        Schema pathway = EventStream.HOSPITAL_DISCHARGE.schema().getField("pathway").schema().getTypes().get(1);
        assertThat(pathway.getEnumSymbols()).containsExactly("P0", "P1", "P2", "P3", "UNKNOWN");
    }

    private static void collectEnums(Schema schema, List<Schema> out) {
        switch (schema.getType()) {
            case ENUM -> {
                if (out.stream().noneMatch(e -> e.getFullName().equals(schema.getFullName()))) {
                    out.add(schema);
                }
            }
            case RECORD -> schema.getFields().forEach(f -> collectEnums(f.schema(), out));
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, out));
            case ARRAY -> collectEnums(schema.getElementType(), out);
            case MAP -> collectEnums(schema.getValueType(), out);
            default -> {
            }
        }
    }
}
