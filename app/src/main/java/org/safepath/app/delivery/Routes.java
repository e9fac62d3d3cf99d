package org.safepath.app.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.safepath.records.Alert;

/**
 * Which audience (and which named recipient) gets which channel and address, from configuration:
 * <pre>
 * delivery.route.market_oversight.email = market-oversight@council.example
 * delivery.route.link_worker.email = recipient          # the home's link worker's mailbox, carried by the alert
 * delivery.route.team_manager.teams = https://…          # a Teams workflow webhook
 * delivery.recipient.north-locality.email = north-locality@council.example   # a team the alert names
 * delivery.recipient.north-locality.slack = https://hooks.slack.com/…
 * </pre>
 * A recipient's own route wins over its audience's. A recipient is named in lower case with spaces as hyphens.
 */
public final class Routes {

    static final List<String> CHANNELS = List.of("email", "teams", "slack");
    private final Map<String, String> config;

    public Routes(Map<String, String> config) {
        this.config = new TreeMap<>(config);
        for (String key : this.config.keySet()) {
            if (key.startsWith("delivery.route.") || key.startsWith("delivery.recipient.")) {
                String channel = key.substring(key.lastIndexOf('.') + 1);
                if (!CHANNELS.contains(channel)) {
                    throw new IllegalArgumentException("'" + key + "' names no channel: the last part is one of " + CHANNELS);
                }
            }
        }
    }

    public static String normalise(String recipient) {
        return recipient.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
    }

    /** Every route for this alert, at most one per channel. */
    public List<Route> of(Alert a) {
        String recipient = a.getRecipient() == null ? null : a.getRecipient().toString();
        String audience = a.getAudience().toString();
        List<Route> routes = new ArrayList<>();
        for (String channel : CHANNELS) {
            String own = recipient == null ? null : config.get("delivery.recipient." + normalise(recipient) + "." + channel);
            String byAudience = config.get("delivery.route." + audience + "." + channel);
            if (own != null) {
                routes.add(route(channel, own, "recipient " + normalise(recipient)));
            } else if ("recipient".equals(byAudience)) {
                if (recipient != null && channel.equals("email") && recipient.contains("@")) {
                    routes.add(route(channel, recipient, recipient));
                }
            } else if (byAudience != null) {
                routes.add(route(channel, byAudience, audience));
            }
        }
        return routes;
    }

    private static Route route(String channel, String address, String label) {
        // A webhook URL holds its secret: the log and the delivery log show which route it is, never the URL.
        return new Route(channel, address, channel.equals("email") ? address : label);
    }
}
