package org.safepath.app;

import picocli.CommandLine.Option;

/**
 * Where Elasticsearch is: {@code --elasticsearch} or SAFEPATH_ES_URL; credentials and CA come from the environment
 * (see {@code ElasticsearchSettings}), never from the command line.
 */
final class ElasticsearchOption {

    @Option(names = "--elasticsearch", paramLabel = "URL", defaultValue = "${env:SAFEPATH_ES_URL}",
            description = "Elasticsearch's URL (or SAFEPATH_ES_URL).")
    String elasticsearch;

    String elasticsearch() {
        return KafkaOptions.required(elasticsearch, "--elasticsearch", "SAFEPATH_ES_URL");
    }

    /** The connection settings: this URL with the credentials and CA of the environment. */
    org.safepath.connectors.elasticsearch.ElasticsearchSettings settings() {
        return org.safepath.connectors.elasticsearch.ElasticsearchSettings.fromEnvironment(elasticsearch());
    }

    /** A transport to it, for the caller to close. */
    co.elastic.clients.transport.rest_client.RestClientTransport transport() {
        return org.safepath.connectors.elasticsearch.ElasticsearchClients.transport(settings());
    }
}
