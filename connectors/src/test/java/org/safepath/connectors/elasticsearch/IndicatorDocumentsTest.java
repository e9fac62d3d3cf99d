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

    private static IndicatorDocuments.Value catalogued(String indicator, String localAuthority, String asOf) {
        org.safepath.records.IndicatorValue v = org.safepath.records.IndicatorValue.newBuilder()
                .setIndicator(indicator)
                .setDimensions(Map.of("local_authority", localAuthority, "provider_location_id", "1-1272833785",
                        "hospital_site", "RD130", "pathway", "P1"))
                .setValue(0).setUnit("score").setRag(org.safepath.records.Rag.GREEN)
                .setAsOf(Instant.parse(asOf)).setComponents(Map.of()).build();
        return IndicatorDocuments.of(v, org.safepath.schemas.IndicatorCatalogue.defaults().get(indicator));
    }

    @Test
    void aProviderLocationKeepsOneDocumentWhenItsLocalAuthorityBecomesKnownLater() throws Exception {
        // A concern at a location can come before the location's reference data: its values are first written with
        // local_authority UNKNOWN. When the reference data says E06000054, that document must be replaced, not joined
        // by a second one for the same location (the market oversight view would list the provider twice).
        IndexOperation before = IndicatorDocuments.provisionalCurrent(catalogued("provider.risk_score", "UNKNOWN", "2026-11-23T13:09:00Z"));
        IndexOperation known = IndicatorDocuments.current(catalogued("provider.risk_score", "E06000054", "2026-11-23T13:09:00Z"));
        assertThat(known.id()).isEqualTo(before.id());
        assertThat(IndicatorDocuments.history(catalogued("provider.risk_score", "E06000054", "2026-11-23T13:09:00Z")).id())
                .isEqualTo(IndicatorDocuments.history(catalogued("provider.risk_score", "UNKNOWN", "2026-11-23T13:30:00Z")).id());
        assertThat(new ObjectMapper().readTree(known.source()).path("dimensions").path("local_authority").asText()).isEqualTo("E06000054");
        // Where the local authority is part of what a value describes (a council's patients at a hospital), two
        // councils' values stay two documents.
        assertThat(IndicatorDocuments.current(catalogued("discharge.nctr_in_bed", "E06000054", "2026-11-23T13:09:00Z")).id())
                .isNotEqualTo(IndicatorDocuments.current(catalogued("discharge.nctr_in_bed", "E10000015", "2026-11-23T13:09:00Z")).id());
    }
}
