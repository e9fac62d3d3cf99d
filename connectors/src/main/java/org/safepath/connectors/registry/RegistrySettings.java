package org.safepath.connectors.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import org.safepath.connectors.config.SafePathEnvironment;

/**
 * How to reach a Confluent-compatible schema registry: URL, credentials, TLS trust and timeouts.
 * Serializable so a Flink operator can carry it and open its own client.
 */
public record RegistrySettings(
        String url,
        String basicAuthUserInfo,
        String bearerToken,
        String caCertificatePath,
        Duration requestTimeout,
        int maxAttempts) implements Serializable {

    public RegistrySettings {
        Objects.requireNonNull(url, "registry url");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        maxAttempts = maxAttempts <= 0 ? 4 : maxAttempts;
    }

    /** What an operator may read: where, and how SafePath authenticates, never the credentials. */
    @Override
    public String toString() {
        return "RegistrySettings[" + url + (basicAuthUserInfo == null ? "" : ", basic auth") + (bearerToken == null ? "" : ", bearer token")
                + (caCertificatePath == null ? "" : ", CA " + caCertificatePath) + "]";
    }

    public static RegistrySettings of(String url) {
        return new RegistrySettings(url, null, null, null, null, 0);
    }

    /**
     * Reads SAFEPATH_REGISTRY_USER_INFO ("user:password") and SAFEPATH_REGISTRY_TOKEN (or their _FILE variants) and
     * SAFEPATH_REGISTRY_CA.
     */
    public static RegistrySettings fromEnvironment(String url) {
        return new RegistrySettings(url, SafePathEnvironment.REGISTRY_USER_INFO.value(), SafePathEnvironment.REGISTRY_TOKEN.value(),
                SafePathEnvironment.REGISTRY_CA.value(), null, 0);
    }
}
