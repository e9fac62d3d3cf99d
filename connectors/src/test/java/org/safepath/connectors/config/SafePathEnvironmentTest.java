package org.safepath.connectors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafePathEnvironmentTest {

    @Test
    void aSecretComesFromTheFileItsFileVariableNamesAsAMountedSecretIs(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("es-password");
        Files.writeString(secret, "correct horse battery\n");
        Map<String, String> env = Map.of("SAFEPATH_ES_PASSWORD_FILE", secret.toString());
        assertThat(SafePathEnvironment.ES_PASSWORD.value(env::get)).isEqualTo("correct horse battery");
        // The variable itself, where it is set, wins over the file.
        assertThat(SafePathEnvironment.ES_PASSWORD.value(Map.of("SAFEPATH_ES_PASSWORD", "given", "SAFEPATH_ES_PASSWORD_FILE",
                secret.toString())::get)).isEqualTo("given");
        assertThat(SafePathEnvironment.ES_PASSWORD.value(Map.<String, String>of()::get)).isNull();
    }

    @Test
    void onlySecretsHaveAFileVariantAndAnUnreadableFileIsNamedWithoutItsContent(@TempDir Path dir) {
        assertThat(SafePathEnvironment.accepted()).contains("SAFEPATH_ES_API_KEY_FILE", "SAFEPATH_REGISTRY_TOKEN_FILE",
                "SAFEPATH_PSEUDONYM_KEY_FILE", "SAFEPATH_KAFKA").doesNotContain("SAFEPATH_KAFKA_FILE", "SAFEPATH_ES_URL_FILE");
        assertThat(SafePathEnvironment.ES_URL.value(Map.of("SAFEPATH_ES_URL_FILE", "/nowhere")::get)).isNull();
        String missing = dir.resolve("absent").toString();
        assertThatThrownBy(() -> SafePathEnvironment.ES_API_KEY.value(Map.of("SAFEPATH_ES_API_KEY_FILE", missing)::get))
                .hasMessageContaining("SAFEPATH_ES_API_KEY_FILE").hasMessageContaining(missing);
    }
}
