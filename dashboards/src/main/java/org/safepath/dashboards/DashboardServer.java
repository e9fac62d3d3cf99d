package org.safepath.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * The live dashboard: one page, and small JSON endpoints it polls. {@code /api/current?domain=discharge}
 * returns the current indicator documents of a domain (read from Elasticsearch here, so the browser never
 * talks to Elasticsearch); {@code /api/dead-letters} how many records of each stream were not applied, by
 * reason; {@code /api/catalogue} the catalogue's titles, units and thresholds. When Elasticsearch does not
 * answer, an endpoint answers 503 with one sentence saying so.
 */
public final class DashboardServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String elasticsearch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final byte[] catalogueJson;
    private final co.elastic.clients.transport.rest_client.RestClientTransport transport;
    private final AlertAcknowledgements acks;

    private DashboardServer(HttpServer server, String elasticsearch) throws IOException {
        this.server = server;
        this.elasticsearch = elasticsearch;
        ArrayNode list = JSON.createArrayNode();
        for (IndicatorDefinition d : IndicatorCatalogue.defaults().all()) {
            list.add(JSON.valueToTree(d));
        }
        this.catalogueJson = JSON.writeValueAsBytes(list);
        server.createContext("/", this::page);
        server.createContext("/api/catalogue", ex -> send(ex, 200, "application/json", catalogueJson));
        server.createContext("/api/current", this::current);
        server.createContext("/api/dead-letters", this::deadLetters);
        this.transport = org.safepath.connectors.elasticsearch.ElasticsearchClients.transport(
                org.safepath.connectors.elasticsearch.ElasticsearchSettings.fromEnvironment(elasticsearch));
        this.acks = new AlertAcknowledgements(org.safepath.connectors.elasticsearch.ElasticsearchClients.blocking(transport));
        server.createContext("/ack/", this::acknowledge);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Serves on 127.0.0.1:port, or on a free port when that one is taken. */
    public static DashboardServer start(int port, String elasticsearch) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (BindException taken) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        return new DashboardServer(server, elasticsearch);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void page(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/index.html")) {
            send(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    private void current(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        String domain = "discharge";
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("domain=")) {
                    domain = URLDecoder.decode(part.substring(7), StandardCharsets.UTF_8);
                }
            }
        }
        if (!domain.matches("[a-z_]+")) {
            send(ex, 400, "application/json", "{\"error\":\"domain must be a catalogue domain\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 10000);
        body.putObject("query").putObject("term").put("domain", domain);
        try {
            ArrayNode docs = JSON.createArrayNode();
            search("safepath-current", body.toString()).path("hits").path("hits").forEach(h -> docs.add(h.get("_source")));
            send(ex, 200, "application/json", JSON.writeValueAsBytes(docs));
        } catch (IOException | InterruptedException e) {
            notAnswering(ex, e);
        }
    }

    /** Dead letters by stream and reason: {"total": n, "streams": {"safepath.hospital-discharge": {"TOO_LATE": n}}}. */
    private void deadLetters(HttpExchange ex) throws IOException {
        try {
            ObjectNode out = JSON.createObjectNode();
            ObjectNode streams = out.putObject("streams");
            long total = 0;
            for (var stream : DeadLetterCounts.from(search("safepath-dead-letters", DeadLetterCounts.QUERY)).entrySet()) {
                ObjectNode reasons = streams.putObject(stream.getKey());
                for (var reason : stream.getValue().entrySet()) {
                    reasons.put(reason.getKey(), reason.getValue());
                    total += reason.getValue();
                }
            }
            out.put("total", total);
            send(ex, 200, "application/json", JSON.writeValueAsBytes(out));
        } catch (IOException | InterruptedException e) {
            notAnswering(ex, e);
        }
    }

    private com.fasterxml.jackson.databind.JsonNode search(String index, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(elasticsearch + "/" + index + "/_search"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return JSON.createObjectNode(); // nothing written there yet
        }
        if (r.statusCode() != 200) {
            throw new IOException("it answered HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    private void notAnswering(HttpExchange ex, Exception e) throws IOException {
        String why = e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException ? "no answer within 10 s"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        send(ex, 503, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode().put("error",
                "Elasticsearch at " + elasticsearch + " is not answering (" + why + "). The figures shown are the last ones "
                        + "read; they refresh by themselves when it is back. SafePath keeps what it has to write meanwhile.")));
    }

    /**
     * {@code /ack/ID}: the link in every alert message. GET shows the alert's acknowledgement, or a form to give one
     * (a name or role); POST records it. A link followed by a mail scanner therefore acknowledges nothing.
     */
    private void acknowledge(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/ack/".length());
        if (!id.matches("[A-Za-z0-9_-]{1,100}")) {
            send(ex, 404, "text/html; charset=utf-8", html("No such alert", "<p>That is not an alert id.</p>"));
            return;
        }
        try {
            AlertAcknowledgements.Ack ack;
            if (ex.getRequestMethod().equals("POST")) {
                Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                ack = acks.acknowledge(id, form.get("by"), form.get("note"));
            } else {
                ack = acks.of(java.util.List.of(id)).get(id);
            }
            if (ack != null) {
                send(ex, 200, "text/html; charset=utf-8", html("Alert acknowledged", "<p>Alert " + escape(id) + " was acknowledged by <strong>"
                        + escape(ack.by()) + "</strong> on " + escape(ack.at().toString()) + ".</p>"));
            } else {
                send(ex, 200, "text/html; charset=utf-8", html("Acknowledge alert " + escape(id),
                        "<form method=\"post\"><p><label for=\"by\">Your name or role</label><br><input id=\"by\" name=\"by\" required></p>"
                                + "<p><label for=\"note\">Note (optional, no personal details)</label><br><input id=\"note\" name=\"note\"></p>"
                                + "<p><button type=\"submit\">Acknowledge</button></p></form>"));
            }
        } catch (IllegalArgumentException e) {
            send(ex, 400, "text/html; charset=utf-8", html("Not acknowledged", "<p>" + escape(e.getMessage()) + "</p>"));
        } catch (Exception e) {
            send(ex, 503, "text/html; charset=utf-8", html("Not acknowledged", "<p>Elasticsearch at " + escape(elasticsearch)
                    + " did not take the acknowledgement (" + escape(e.getMessage()) + "); try again in a minute.</p>"));
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] html(String title, String body) {
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + " - SafePath</title></head><body><h1>"
                + title + "</h1>" + body + "</body></html>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            transport.close();
        } catch (IOException e) {
            // stopping anyway
        }
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
