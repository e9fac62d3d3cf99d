package org.safepath.connectors.elasticsearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

import org.safepath.connectors.config.SafePathEnvironment;

/**
 * How to reach Elasticsearch and how the sink batches: URLs, basic auth or API key, TLS trust, timeouts,
 * bulk size in actions and bytes, in-flight and buffer limits, retry backoff and the longest outage the
 * sink rides out before it fails the job (so Flink restarts from the last checkpoint rather than drop data).
 */
public record ElasticsearchSettings(
        List<String> urls,
        String username,
        String password,
        String apiKey,
        String caCertificatePath,
        Duration requestTimeout,
        int maxBatchActions,
        long maxBatchBytes,
        int maxInFlightRequests,
        int maxBufferedRequests,
        long maxTimeInBufferMillis,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxOutage) implements Serializable {

    /**
     * Batches of up to 1,000 documents (5 MiB), 4 requests in flight. A batch that is not full goes after 50 ms: a
     * quiet council's single change is not held back (catching up, batches fill long before).
     */
    public static ElasticsearchSettings of(String url) {
        return new ElasticsearchSettings(List.of(url), null, null, null, null, Duration.ofSeconds(30),
                1000, 5L * 1024 * 1024, 4, 10_000, 50, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /**
     * Reads SAFEPATH_ES_USERNAME / SAFEPATH_ES_PASSWORD, SAFEPATH_ES_API_KEY (the secrets or their _FILE variants) and
     * SAFEPATH_ES_CA on top of the defaults.
     */
    public static ElasticsearchSettings fromEnvironment(String url) {
        return of(url).withCredentials(SafePathEnvironment.ES_USERNAME.value(), SafePathEnvironment.ES_PASSWORD.value(),
                SafePathEnvironment.ES_API_KEY.value(), SafePathEnvironment.ES_CA.value());
    }

    public ElasticsearchSettings withCredentials(String user, String pass, String key, String ca) {
        return new ElasticsearchSettings(urls, user, pass, key, ca, requestTimeout, maxBatchActions, maxBatchBytes,
                maxInFlightRequests, maxBufferedRequests, maxTimeInBufferMillis, initialBackoff, maxBackoff, maxOutage);
    }

    public ElasticsearchSettings withBatching(int actions, int inFlight, long timeInBufferMillis) {
        return new ElasticsearchSettings(urls, username, password, apiKey, caCertificatePath, requestTimeout, actions,
                maxBatchBytes, inFlight, Math.max(maxBufferedRequests, actions * 2), timeInBufferMillis, initialBackoff,
                maxBackoff, maxOutage);
    }

    /** How long an outage the sink rides out before it fails the job over to its last checkpoint. */
    public ElasticsearchSettings withMaxOutage(Duration limit) {
        return new ElasticsearchSettings(urls, username, password, apiKey, caCertificatePath, requestTimeout, maxBatchActions,
                maxBatchBytes, maxInFlightRequests, maxBufferedRequests, maxTimeInBufferMillis, initialBackoff, maxBackoff, limit);
    }

    public String firstUrl() {
        return urls.get(0);
    }

    /** What an operator may read: where, and how SafePath authenticates, never the password or the key. */
    @Override
    public String toString() {
        return "ElasticsearchSettings[" + urls + (username == null ? "" : ", user " + username) + (apiKey == null ? "" : ", API key")
                + (caCertificatePath == null ? "" : ", CA " + caCertificatePath) + "]";
    }
}
