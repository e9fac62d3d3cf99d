package org.safepath.app.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.schemas.EventStream;

/**
 * A dispatcher built from configuration ({@code delivery.*} keys):
 * <pre>
 * delivery.smtp.host, delivery.smtp.port (25), delivery.smtp.security (none | starttls | tls),
 * delivery.smtp.username, delivery.smtp.password-file (never the password itself), delivery.smtp.from,
 * delivery.dashboard-url, delivery.group-id, delivery.retry.first (2s), delivery.retry.max (5m),
 * delivery.overdue-after (1h), and the routes of {@link Routes}.
 * </pre>
 */
public final class Deliveries implements AutoCloseable {

    private final RestClientTransport transport;
    private final AlertDispatcher dispatcher;

    public Deliveries(Map<String, String> config, String kafka, SchemaRegistryClient registry, ElasticsearchSettings es,
                      String topicPrefix) throws IOException {
        List<Channel> channels = new ArrayList<>();
        String host = config.get("delivery.smtp.host");
        if (host != null) {
            String passwordFile = config.get("delivery.smtp.password-file");
            String password = passwordFile == null ? null : Files.readString(Path.of(passwordFile)).trim();
            channels.add(new EmailChannel(host, Integer.parseInt(config.getOrDefault("delivery.smtp.port", "25")),
                    EmailChannel.Security.valueOf(config.getOrDefault("delivery.smtp.security", "starttls").toUpperCase(java.util.Locale.ROOT)),
                    config.get("delivery.smtp.username"), password, config.getOrDefault("delivery.smtp.from", "safepath@localhost")));
        }
        channels.add(new WebhookChannel(WebhookChannel.Style.TEAMS));
        channels.add(new WebhookChannel(WebhookChannel.Style.SLACK));
        this.transport = ElasticsearchClients.transport(es);
        this.dispatcher = new AlertDispatcher(kafka, EventStream.ALERTS.topic(topicPrefix),
                config.getOrDefault("delivery.group-id", "safepath-alert-dispatcher"), registry,
                new DeliveryLog(ElasticsearchClients.blocking(transport)), new Routes(config), channels,
                config.getOrDefault("delivery.dashboard-url", "http://127.0.0.1:8080"),
                new AlertDispatcher.Timing(duration(config, "delivery.retry.first", "2s"), duration(config, "delivery.retry.max", "5m"),
                        duration(config, "delivery.overdue-after", "1h")));
    }

    private static Duration duration(Map<String, String> config, String key, String fallback) {
        return org.safepath.connectors.config.Durations.parse(key, config.getOrDefault(key, fallback));
    }

    public AlertDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() throws IOException {
        dispatcher.close();
        transport.close();
    }
}
