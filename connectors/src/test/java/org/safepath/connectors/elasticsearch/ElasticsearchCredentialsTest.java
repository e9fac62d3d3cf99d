package org.safepath.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;

/**
 * An Elasticsearch API key, sent as Elastic documents it ({@code Authorization: ApiKey <encoded>}). The embedded
 * Elasticsearch cannot make one (its {@code .security} index needs an analysis module the test distribution lacks),
 * so a small HTTP server records what SafePath's client sends; basic auth is tested against the real, secured one.
 */
class ElasticsearchCredentialsTest {

    @Test
    void anApiKeyGoesInTheAuthorizationHeaderOfEveryRequestAndNeverInTheSettingsText() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer es = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        es.createContext("/", ex -> {
            seen.add(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        es.start();
        try {
            ElasticsearchSettings settings = ElasticsearchSettings.of("http://127.0.0.1:" + es.getAddress().getPort())
                    .withCredentials(null, null, "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==", null);
            try (var transport = ElasticsearchClients.transport(settings)) {
                transport.restClient().performRequest(new Request("GET", "/_cluster/health"));
                transport.restClient().performRequest(new Request("POST", "/_bulk"));
            }
            assertThat(seen).containsExactly("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
                    "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
            assertThat(settings.toString()).contains("API key").doesNotContain("VnVhQ2");
        } finally {
            es.stop(0);
        }
    }
}
