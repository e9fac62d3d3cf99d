package org.safepath.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IndicatorDocumentsTest {

    private static IndicatorDocuments.Value value(Map<String, String> dims, String asOf, double v) {
        return new IndicatorDocuments.Value("discharge.nctr_in_bed", dims, v, "people", "NONE", true,
                Instant.parse(asOf).toEpochMilli(), Map.of());
    }

    @Test
    void theCurrentDocumentIdDependsOnWhatItDescribesNotOnTheValueOrTheOrderOfDimensions() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("hospital_site", "RNZ02");
        a.put("pathway", "P1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("pathway", "P1");
        b.put("hospital_site", "RNZ02");
        IndexOperation first = IndicatorDocuments.current(value(a, "2026-03-02T09:00:00Z", 3));
        IndexOperation later = IndicatorDocuments.current(value(b, "2026-03-02T10:30:00Z", 5));
        assertThat(later.id()).isEqualTo(first.id());
        assertThat(later.version()).isGreaterThan(first.version());
        assertThat(IndicatorDocuments.current(value(Map.of("hospital_site", "RD130", "pathway", "P1"), "2026-03-02T09:00:00Z", 3)).id())
                .isNotEqualTo(first.id());
    }

    @Test
    void historyHasOneDocumentPerHourInTheMonthlyIndexOfThatHour() throws Exception {
        Map<String, String> dims = Map.of("hospital_site", "RNZ02");
        IndexOperation at0910 = IndicatorDocuments.history(value(dims, "2026-03-31T23:10:00Z", 1));
        IndexOperation at0950 = IndicatorDocuments.history(value(dims, "2026-03-31T23:50:00Z", 2));
        IndexOperation next = IndicatorDocuments.history(value(dims, "2026-04-01T00:00:00Z", 2));
        assertThat(at0950.id()).isEqualTo(at0910.id());
        assertThat(next.id()).isNotEqualTo(at0910.id());
        assertThat(at0910.index()).isEqualTo("safepath-history-2026.03");
        assertThat(next.index()).isEqualTo("safepath-history-2026.04");
        JsonNode doc = new ObjectMapper().readTree(at0950.source());
        assertThat(doc.get("hour").asText()).isEqualTo("2026-03-31T23:00:00Z");
        assertThat(doc.get("as_of").asText()).isEqualTo("2026-03-31T23:50:00Z");
        assertThat(doc.get("domain").asText()).isEqualTo("discharge");
    }
}
