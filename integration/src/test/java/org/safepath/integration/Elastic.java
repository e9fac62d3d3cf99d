package org.safepath.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.safepath.connectors.tls.CaCertificates;

/**
 * What a test reads back from Elasticsearch, over plain HTTP, or HTTPS with basic auth for a secured one
 * ({@link #secured}): independent of the sink's client.
 */
final class Elastic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, Access> SECURED = new ConcurrentHashMap<>();

    private record Access(HttpClient http, String authorization) {
    }

    private Elastic() {
    }

    /** From now on, requests to {@code url} trust the CA in {@code caPem} and authenticate as {@code user}. */
    static void secured(String url, Path caPem, String user, String password) {
        SECURED.put(url, new Access(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(CaCertificates.sslContextTrusting(caPem, "test Elasticsearch")).build(),
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }

    static JsonNode request(String url, String method, String path, String body) {
        try {
            Access access = SECURED.get(url);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (access != null) {
                b.header("Authorization", access.authorization());
            }
            HttpResponse<String> r = (access == null ? HTTP : access.http()).send(b.build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    /** Every document matching the query (sources), after a refresh so recent writes are visible. */
    static List<JsonNode> search(String url, String index, String query) {
        request(url, "POST", "/" + index + "/_refresh", null);
        List<JsonNode> docs = new ArrayList<>();
        JsonNode answer = request(url, "POST", "/" + index + "/_search?scroll=1m",
                "{\"size\":5000,\"query\":" + query + "}");
        while (answer.path("hits").path("hits").size() > 0) {
            answer.path("hits").path("hits").forEach(h -> docs.add(h.get("_source")));
            answer = request(url, "POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + answer.get("_scroll_id").asText() + "\"}");
        }
        return docs;
    }

    static long count(String url, String index, String query) {
        request(url, "POST", "/" + index + "/_refresh", null);
        return request(url, "POST", "/" + index + "/_count", "{\"query\":" + query + "}").path("count").asLong();
    }
}
