package org.safepath.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JobOptionsTest {

    private static final Map<String, String> SERVICES = Map.of("kafka", "k:9092", "registry", "http://r", "elasticsearch", "http://e");

    private static JobSettings with(String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(SERVICES);
        m.put(key, value);
        return JobSettings.fromMap(m);
    }

    @Test
    void aMisspeltOptionStopsTheJobNamingItAndTheOptionMeant() {
        assertThatThrownBy(() -> with("alowed-lateness", "3d"))
                .hasMessageContaining("Unknown option 'alowed-lateness'")
                .hasMessageContaining("did you mean allowed-lateness?");
    }

    @Test
    void aValueThatIsNoDurationNamesItsOptionAndTheSyntax() {
        assertThatThrownBy(() -> with("allowed-lateness", "a week"))
                .hasMessageContaining("allowed-lateness takes a duration such as 30s, 5m, 2h, 7d or PT30S, not 'a week'");
        assertThatThrownBy(() -> with("parallelism", "two")).hasMessageContaining("parallelism").hasMessageContaining("two");
    }

    @Test
    void oneDurationSyntaxEverywhereFlinksIsoAndBareSeconds() {
        assertThat(with("allowed-lateness", "3d").allowedLateness()).isEqualTo(Duration.ofDays(3));
        assertThat(with("allowed-lateness", "P3D").allowedLateness()).isEqualTo(Duration.ofDays(3));
        assertThat(with("source-idleness", "45").sourceIdleness()).isEqualTo(Duration.ofSeconds(45));
        assertThat(with("emit-granularity", "5m").emitGranularity()).isEqualTo(Duration.ofMinutes(5));
        assertThat(with("checkpoint-interval", "500ms").checkpointInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void defaultsComeFromTheOptionsAndIndicatorThresholdsPassToTheCatalogue() {
        JobSettings s = with("discharge.nctr_delay_21_plus.red", "8");
        assertThat(s.allowedLateness()).isEqualTo(Duration.ofDays(7));
        assertThat(s.parallelism()).isEqualTo(2);
        assertThat(s.earlyResults()).isTrue();
        assertThat(s.catalogue().get("discharge.nctr_delay_21_plus").red()).isEqualTo(8.0);
        assertThatThrownBy(() -> with("discharge.nctr_delay_21_plus.purple", "8")).hasMessageContaining("purple");
    }

    @Test
    void aPartitionCannotCountAsCaughtUpFurtherBackThanTheAllowedLateness() {
        Map<String, String> m = new java.util.HashMap<>(SERVICES);
        m.put("allowed-lateness", "2d");
        m.put("caught-up-within", "3d");
        assertThatThrownBy(() -> JobSettings.fromMap(m)).hasMessageContaining("caught-up-within");
    }
}
