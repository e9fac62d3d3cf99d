package org.safepath.app.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A webhook in the JSON its receiver documents: a Microsoft Teams workflow webhook takes a message with one Adaptive
 * Card attachment; a Slack incoming webhook takes {@code text} with Block Kit {@code blocks}. Any 2xx is accepted;
 * anything else (or no answer within 20 s) fails the attempt, to be retried.
 */
public final class WebhookChannel implements Channel {

    /** The receiver's payload shape. */
    public enum Style { TEAMS, SLACK }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Style style;
    /** HTTP/1.1: the receivers speak it (over TLS in production), and no cleartext HTTP/2 upgrade is attempted. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public WebhookChannel(Style style) {
        this.style = style;
    }

    @Override
    public String name() {
        return style == Style.TEAMS ? "teams" : "slack";
    }

    @Override
    public void send(AlertMessage m, Route route) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(route.address())).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload(m)))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new IllegalStateException("the " + name() + " webhook " + route.label() + " answered HTTP " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length()))));
        }
    }

    ObjectNode payload(AlertMessage m) {
        return style == Style.TEAMS ? teams(m) : slack(m);
    }

    /** A Teams workflow message: {@code type: message}, one attachment of content type Adaptive Card (schema 1.4). */
    static ObjectNode teams(AlertMessage m) {
        ObjectNode card = JSON.createObjectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", m.subject()).put("weight", "Bolder").put("size", "Medium").put("wrap", true);
        for (String p : m.paragraphs()) {
            body.addObject().put("type", "TextBlock").put("text", p).put("wrap", true);
        }
        ArrayNode actions = card.putArray("actions");
        actions.addObject().put("type", "Action.OpenUrl").put("title", "Open in SafePath").put("url", m.link());
        actions.addObject().put("type", "Action.OpenUrl").put("title", "Acknowledge").put("url", m.ackLink());
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }

    /** A Slack message: {@code text} (the notification's fallback) and blocks: a header, a section per paragraph, a button. */
    static ObjectNode slack(AlertMessage m) {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", m.subject());
        ArrayNode blocks = message.putArray("blocks");
        String header = m.subject().length() > 150 ? m.subject().substring(0, 149) + "…" : m.subject();
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", header);
        for (String p : m.paragraphs()) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", p);
        }
        ArrayNode buttons = blocks.addObject().put("type", "actions").putArray("elements");
        buttons.addObject().put("type", "button").put("url", m.link()).putObject("text").put("type", "plain_text").put("text", "Open in SafePath");
        buttons.addObject().put("type", "button").put("url", m.ackLink()).putObject("text").put("type", "plain_text").put("text", "Acknowledge");
        return message;
    }
}
