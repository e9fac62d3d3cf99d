package org.safepath.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a test reads back from Elasticsearch, over plain HTTP (independent of the sink's client). */
final class Elastic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Elastic() {
    }

    static JsonNode request(String url, String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
