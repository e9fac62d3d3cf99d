package org.safepath.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class PseudonymiserTest {

    private static final byte[] KEY = "a deployment secret of some length".getBytes(StandardCharsets.UTF_8);

    @Test
    void thePseudonymIsTheKeyedHmacOfTheIdentifierAndRevealsNothingOfIt() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String expected = "p_" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal("nhs:9434765919".getBytes(StandardCharsets.UTF_8)));

        String ref = Pseudonymiser.withKey(KEY).ofNhsNumber("943 476 5919");
        assertThat(ref).isEqualTo(expected).doesNotContain("9434765919").doesNotContain("943");
        assertThat(HexFormat.of().formatHex(ref.getBytes(StandardCharsets.UTF_8))).isNotEmpty();
    }

    @Test
    void anotherKeyGivesAnotherPseudonymAndCouncilIdsAreScopedByCouncil() {
        Pseudonymiser a = Pseudonymiser.withKey(KEY);
        Pseudonymiser b = Pseudonymiser.withKey("another deployment's secret key".getBytes(StandardCharsets.UTF_8));
        assertThat(a.ofNhsNumber("9434765919")).isNotEqualTo(b.ofNhsNumber("9434765919"));
        assertThat(a.ofCouncilPersonId("E06000054", "P100")).isNotEqualTo(a.ofCouncilPersonId("E10000028", "P100"));
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> Pseudonymiser.withKey(new byte[8])).hasMessageContaining("at least 16 bytes");
    }
}
