package org.safepath.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class IndicatorCatalogueTest {

    @Test
    void theDefaultsAreThoseOfIndicatorsMd() {
        IndicatorCatalogue c = IndicatorCatalogue.defaults();
        assertThat(c.get("discharge.nctr_delay_21_plus").amber()).isEqualTo(1.0);
        assertThat(c.get("discharge.nctr_delay_21_plus").red()).isEqualTo(5.0);
        assertThat(c.get("discharge.nctr_delay_14_plus").parameter("min_delay_days")).isEqualTo(14.0);
        assertThat(c.get("waiting.over_threshold").parameter("medium_days")).isEqualTo(28.0);
        assertThat(c.get("provider.risk_score").red()).isEqualTo(60.0);
        assertThat(c.domain("discharge")).hasSize(9);
        assertThat(c.dimensionNames()).contains("hospital_site", "pathway", "delay_reason_family", "cqc_location_id");
    }

    @Test
    void everyDomainHasOneTitleForItsViewsInTheOrderTheyAreShown() {
        IndicatorCatalogue c = IndicatorCatalogue.defaults();
        assertThat(c.domains()).containsExactly(Map.entry("discharge", "Hospital discharge"), Map.entry("safeguarding", "Safeguarding"),
                Map.entry("provider", "Market oversight"), Map.entry("waiting", "Waiting lists"), Map.entry("brokerage", "Brokerage"),
                Map.entry("transitions", "Transitions"), Map.entry("placements", "Out-of-area placements"));
        assertThat(c.all()).allSatisfy(d -> assertThat(c.domains()).containsKey(d.domain()));
    }

    @Test
    void aCouncilOverridesThresholdsAndParametersInConfiguration() {
        IndicatorCatalogue c = IndicatorCatalogue.withOverrides(Map.of(
                "discharge.nctr_delay_21_plus.red", "8", "discharge.discharges_7d.window_days", "14"));
        assertThat(c.get("discharge.nctr_delay_21_plus").red()).isEqualTo(8.0);
        assertThat(c.get("discharge.nctr_delay_21_plus").amber()).isEqualTo(1.0);
        assertThat(c.get("discharge.discharges_7d").parameter("window_days")).isEqualTo(14.0);
    }

    @Test
    void oneCouncilOfSeveralSetsItsOwnWaitingThreshold() {
        IndicatorCatalogue c = IndicatorCatalogue.withOverrides(Map.of("waiting.over_threshold.high_days.E06000054", "5"));
        IndicatorDefinition d = c.get("waiting.over_threshold");
        assertThat(d.duration("high_days", "E06000054")).hasDays(5);
        assertThat(d.duration("high_days", "E09000003")).as("another council keeps the default").hasDays(7);
        assertThat(d.duration("medium_days", "E06000054")).hasDays(28);
        assertThatThrownBy(() -> IndicatorCatalogue.withOverrides(Map.of("waiting.over_threshold.high_days.Wiltshire", "5")))
                .hasMessageContaining("ONS code");
    }

    @Test
    void anUnknownIndicatorOrParameterIsNamedInTheError() {
        assertThatThrownBy(() -> IndicatorCatalogue.withOverrides(Map.of("discharge.no_such.red", "1")))
                .hasMessageContaining("discharge.no_such.red");
        assertThatThrownBy(() -> IndicatorCatalogue.withOverrides(Map.of("discharge.discharges_7d.widow_days", "1")))
                .hasMessageContaining("widow_days").hasMessageContaining("window_days");
    }
}
