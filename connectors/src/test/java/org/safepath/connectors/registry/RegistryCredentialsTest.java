package org.safepath.connectors.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema registry's basic and bearer auth. The embedded registry (Apicurio) authenticates only through an OpenID
 * Connect server, which cannot run here, so a small HTTP server stands in for a Confluent registry that checks the
 * credentials as Confluent's does: 401 without the right Authorization header.
 */
class RegistryCredentialsTest {

    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("safepath:s3cret-pw".getBytes(StandardCharsets.UTF_8));
    private static final String BEARER = "Bearer t0ken-abc";

    private HttpServer registry;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void aRegistryThatChecksCredentials() throws Exception {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(String.valueOf(auth));
            boolean ok = BASIC.equals(auth) || BEARER.equals(auth);
            byte[] body = (ok ? "{\"compatibilityLevel\":\"BACKWARD\"}" : "{\"error_code\":40101,\"message\":\"Unauthorized\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    @Test
    void basicAuthAndABearerTokenAreSentAsTheRegistryExpects() {
        assertThat(new SchemaRegistryClient(new RegistrySettings(url(), "safepath:s3cret-pw", null, null, null, 1))
                .compatibility("safepath.alerts-value")).contains("BACKWARD");
        assertThat(new SchemaRegistryClient(new RegistrySettings(url(), null, "t0ken-abc", null, null, 1))
                .compatibility("safepath.alerts-value")).contains("BACKWARD");
        assertThat(seen).containsExactly(BASIC, BEARER);
    }

    @Test
    void wrongCredentialsAreToldWithTheSettingsToCheckAndWithoutTheSecret() {
        assertThatThrownBy(() -> new SchemaRegistryClient(new RegistrySettings(url(), "safepath:wrong-pw", null, null, null, 1))
                .compatibility("safepath.alerts-value"))
                .hasMessageContaining("refused SafePath's credentials (401)")
                .hasMessageContaining("SAFEPATH_REGISTRY_USER_INFO")
                .hasMessageNotContaining("wrong-pw");
        assertThat(new RegistrySettings(url(), "safepath:wrong-pw", "t0ken-abc", null, null, 1).toString())
                .doesNotContain("wrong-pw").doesNotContain("t0ken");
    }
}
