package org.safepath.connectors.elasticsearch;

import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.safepath.connectors.config.SafePathEnvironment;
import org.safepath.connectors.tls.CaCertificates;

/** Builds the official Elasticsearch Java client from {@link ElasticsearchSettings}. */
public final class ElasticsearchClients {
    private ElasticsearchClients() {
    }

    /** A transport both the blocking and the async client can share; close it when done. */
    public static RestClientTransport transport(ElasticsearchSettings settings) {
        HttpHost[] hosts = settings.urls().stream().map(HttpHost::create).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts)
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(5_000)
                        .setSocketTimeout((int) settings.requestTimeout().toMillis()));
        if (settings.apiKey() != null) {
            builder.setDefaultHeaders(new BasicHeader[]{new BasicHeader("Authorization", "ApiKey " + settings.apiKey())});
        }
        SSLContext ssl = settings.caCertificatePath() == null ? null
                : CaCertificates.sslContextTrusting(Path.of(settings.caCertificatePath()), "Elasticsearch");
        builder.setHttpClientConfigCallback(http -> {
            if (settings.username() != null) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(settings.username(), settings.password()));
                http.setDefaultCredentialsProvider(credentials);
            }
            if (ssl != null) {
                http.setSSLContext(ssl);
            }
            return http.setMaxConnTotal(Math.max(10, settings.maxInFlightRequests() * 2))
                    .setMaxConnPerRoute(Math.max(10, settings.maxInFlightRequests() * 2));
        });
        return new RestClientTransport(builder.build(), new JacksonJsonpMapper());
    }

    /**
     * What to tell a person when Elasticsearch refused SafePath's credentials (401) or what they may do (403), in
     * {@code failure} or one of its causes, naming the settings to check; null for any other failure.
     */
    public static String refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            int status = t instanceof co.elastic.clients.transport.TransportException te ? te.statusCode()
                    : t instanceof org.elasticsearch.client.ResponseException re ? re.getResponse().getStatusLine().getStatusCode() : 0;
            if (status == 401) {
                return "Elasticsearch refused SafePath's credentials (401). Check " + SafePathEnvironment.ES_USERNAME.variable() + " and "
                        + SafePathEnvironment.ES_PASSWORD.variable() + ", or " + SafePathEnvironment.ES_API_KEY.variable()
                        + " (or their " + SafePathEnvironment.FILE_SUFFIX + " files).";
            }
            if (status == 403) {
                return "Elasticsearch refused the request (403): SafePath's user or API key lacks a privilege on the safepath-* indices"
                        + " or their templates. Ask the platform team to grant them (docs/deployment.md).";
            }
        }
        return null;
    }

    public static ElasticsearchClient blocking(RestClientTransport transport) {
        return new ElasticsearchClient(transport);
    }

    public static ElasticsearchAsyncClient async(RestClientTransport transport) {
        return new ElasticsearchAsyncClient(transport);
    }

    /** Creates the index with these fields if it is not there (another process creating it first is fine). */
    public static void ensureIndex(ElasticsearchClient es, String index,
                                   java.util.Map<String, co.elastic.clients.elasticsearch._types.mapping.Property> properties)
            throws java.io.IOException {
        if (es.indices().exists(e -> e.index(index)).value()) {
            return;
        }
        try {
            es.indices().create(c -> c.index(index).mappings(m -> m.properties(properties)));
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }
}
