package org.safepath.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";

    @Test
    void aUserWithAPasswordFileTalksScramOverTlsTrustingTheCouncilsCa(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("kafka-password"), "pa\"ss\\word\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), CA);
        KafkaSecurity security = KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_USERNAME", "safepath-job",
                "SAFEPATH_KAFKA_PASSWORD_FILE", password.toString(), "SAFEPATH_KAFKA_CA", ca.toString())::get);

        assertThat(security.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                // JAAS quoting: a quote or backslash in the password must not end the value early.
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"safepath-job\" password=\"pa\\\"ss\\\\word\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.certificates", CA));
        assertThat(security.toString()).contains("SASL_SSL", "safepath-job").doesNotContain("word");
    }

    @Test
    void aClientCertificateMeansMutualTlsWithTheKeyPassedAsKafkasHiddenSetting(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), CA);
        Path cert = Files.writeString(dir.resolve("client.pem"), "CERT");
        Path key = Files.writeString(dir.resolve("client.key"), "KEY");
        KafkaSecurity security = KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_CA", ca.toString(),
                "SAFEPATH_KAFKA_CERTIFICATE", cert.toString(), "SAFEPATH_KAFKA_KEY", key.toString())::get);

        assertThat(security.properties()).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", "CERT")
                .containsEntry("ssl.keystore.key", "KEY")
                .doesNotContainKeys("sasl.jaas.config", "ssl.key.password");
        assertThat(security.toString()).doesNotContain("KEY");
    }

    @Test
    void nothingSetIsPlaintextAndAddsNoSetting() {
        assertThat(KafkaSecurity.from(Map.<String, String>of()::get)).isEqualTo(KafkaSecurity.PLAINTEXT);
        assertThat(KafkaSecurity.PLAINTEXT.properties()).isEmpty();
    }

    @Test
    void aSettingThatWouldSendCredentialsInClearOrHalfAConfigurationIsRefusedByName() {
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_USERNAME", "u")::get))
                .hasMessageContaining("SAFEPATH_KAFKA_PASSWORD");
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "SAFEPATH_KAFKA_USERNAME", "u", "SAFEPATH_KAFKA_PASSWORD", "p")::get))
                .hasMessageContaining("SAFEPATH_KAFKA_SECURITY_PROTOCOL").hasMessageContaining("without TLS")
                .hasMessageNotContaining("p)");
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT",
                "SAFEPATH_KAFKA_USERNAME", "u", "SAFEPATH_KAFKA_PASSWORD", "p")::get))
                .hasMessageContaining("only sent over SASL_SSL");
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_CERTIFICATE", "/c.pem")::get))
                .hasMessageContaining("SAFEPATH_KAFKA_KEY");
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_USERNAME", "u", "SAFEPATH_KAFKA_PASSWORD", "p",
                "SAFEPATH_KAFKA_SASL_MECHANISM", "GSSAPI")::get))
                .hasMessageContaining("SAFEPATH_KAFKA_SASL_MECHANISM").hasMessageContaining("SCRAM-SHA-512");
    }

    @Test
    void anUnreadableCaFileIsNamed(@TempDir Path dir) {
        String missing = dir.resolve("absent.pem").toString();
        KafkaSecurity security = KafkaSecurity.from(Map.of("SAFEPATH_KAFKA_CA", missing)::get);
        assertThatThrownBy(security::properties).hasMessageContaining("SAFEPATH_KAFKA_CA").hasMessageContaining(missing);
    }

    @Test
    void aRefusalByKafkaNamesTheSettingsToCheck() {
        assertThat(KafkaSecurity.refusal(new java.util.concurrent.ExecutionException(
                new org.apache.kafka.common.errors.SaslAuthenticationException("invalid credentials with SASL mechanism SCRAM-SHA-512"))))
                .contains("refused SafePath's credentials", "SAFEPATH_KAFKA_USERNAME", "SAFEPATH_KAFKA_PASSWORD");
        assertThat(KafkaSecurity.refusal(new org.apache.kafka.common.errors.SslAuthenticationException("PKIX path building failed")))
                .contains("TLS handshake", "SAFEPATH_KAFKA_CA");
        assertThat(KafkaSecurity.refusal(new org.apache.kafka.common.errors.TimeoutException("not present in metadata"))).isNull();
    }
}
