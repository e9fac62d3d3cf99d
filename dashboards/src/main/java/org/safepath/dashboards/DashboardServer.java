package org.safepath.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * The live dashboard: the page, its script and the charting library (packaged in the jar), and a read-only JSON API
 * that queries Elasticsearch here, through the Elasticsearch Java client and the project's connection settings, so
 * the browser never talks to Elasticsearch:
 * <ul>
 *   <li>{@code /api/catalogue}: titles, units, thresholds, dimensions, what adds up, the roll-ups;</li>
 *   <li>{@code /api/status}: whether Elasticsearch answers, how fresh each domain's figures are, and what a lead
 *       should be told at the top of the page when something is behind or down;</li>
 *   <li>{@code /api/current?domain=…}: a domain's current values;</li>
 *   <li>{@code /api/history?indicator=…&by=…&from=…&to=…&interval=1d}: an indicator over time;</li>
 *   <li>{@code /api/alerts?open=1&audience=…}: alerts with their acknowledgement and delivery state;</li>
 *   <li>{@code /api/dead-letters}: records not applied, by stream and reason;</li>
 *   <li>{@code /ack/ID}: the acknowledge link of every alert message (a form; POST records it).</li>
 * </ul>
 * Every data endpoint takes dimension filters ({@code local_authority=E06000054}, {@code team=…}), {@code board=1}
 * for the board view's disclosure control, and {@code format=csv}.
 */
public final class DashboardServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String elasticsearch;
    private final co.elastic.clients.transport.rest_client.RestClientTransport transport;
    private final DashboardApi api;
    private final AlertAcknowledgements acks;

    private DashboardServer(HttpServer server, String elasticsearch, ElasticsearchSettings settings) {
        this.server = server;
        this.elasticsearch = elasticsearch;
        this.transport = ElasticsearchClients.transport(settings);
        var client = ElasticsearchClients.blocking(transport);
        this.api = new DashboardApi(client, IndicatorCatalogue.defaults());
        this.acks = new AlertAcknowledgements(client);
        server.createContext("/", this::page);
        server.createContext("/api/catalogue", ex -> json(ex, 200, api.catalogue()));
        server.createContext("/api/status", ex -> answer(ex, () -> api.status(Instant.now())));
        server.createContext("/api/current", ex -> answer(ex, () -> api.current(params(ex))));
        server.createContext("/api/overview", ex -> answer(ex, () -> api.overview(params(ex), Instant.now())));
        server.createContext("/api/history", ex -> answer(ex, () -> api.history(params(ex))));
        server.createContext("/api/alerts", ex -> answer(ex, () -> api.alerts(params(ex))));
        server.createContext("/api/dead-letters", ex -> answer(ex, api::deadLetters));
        server.createContext("/api/names", ex -> answer(ex, api::names));
        server.createContext("/api/values", ex -> answer(ex, () -> {
            String dimension = params(ex).getOrDefault("dimension", "local_authority");
            if (!IndicatorCatalogue.defaults().dimensionNames().contains(dimension)) {
                throw new IllegalArgumentException("No dimension '" + dimension + "' in the catalogue");
            }
            return JSON.createObjectNode().set("values", JSON.valueToTree(api.queries().values(dimension)));
        }));
        server.createContext("/ack/", this::acknowledge);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Serves on 127.0.0.1:port (or a free port when that one is taken), reading Elasticsearch at this URL with the environment's credentials. */
    public static DashboardServer start(int port, String elasticsearch) throws IOException {
        return start("127.0.0.1", port, elasticsearch, ElasticsearchSettings.fromEnvironment(elasticsearch));
    }

    /** Serves on this address (loopback unless told otherwise) with these Elasticsearch settings. */
    public static DashboardServer start(String host, int port, String elasticsearch, ElasticsearchSettings settings) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException taken) {
            server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        }
        return new DashboardServer(server, elasticsearch, settings);
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/";
    }

    // ---- the page and its static parts ----

    private void page(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String resource = path.equals("/") ? "/dashboard/index.html"
                : path.matches("/(app\\.js|app\\.css)") ? "/dashboard" + path
                : path.matches("/webjars/chart\\.js/[0-9.]+/dist/chart\\.umd\\.js") ? "/META-INF/resources" + path
                : null;
        InputStream in = resource == null ? null : DashboardServer.class.getResourceAsStream(resource);
        if (in == null) {
            send(ex, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (in) {
            String type = resource.endsWith(".html") ? "text/html; charset=utf-8" : resource.endsWith(".css") ? "text/css; charset=utf-8"
                    : "text/javascript; charset=utf-8";
            send(ex, 200, type, in.readAllBytes());
        }
    }

    // ---- plumbing ----

    interface Answer {
        Object get() throws IOException;
    }

    /** Runs a query and answers it: JSON or CSV; 400 with the reason for a bad request; 503 in words when Elasticsearch does not answer. */
    private void answer(HttpExchange ex, Answer a) throws IOException {
        try {
            Object out = a.get();
            if (out instanceof DashboardApi.Csv c) {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"safepath-"
                        + ex.getRequestURI().getPath().substring("/api/".length()).replace('/', '-') + ".csv\"");
                send(ex, 200, "text/csv; charset=utf-8", c.text().getBytes(StandardCharsets.UTF_8));
            } else {
                json(ex, 200, out);
            }
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            json(ex, 400, JSON.createObjectNode().put("error", e.getMessage()));
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            // It answered, and refused: say so, not that it is down.
            org.slf4j.LoggerFactory.getLogger(DashboardServer.class).warn("Elasticsearch refused a dashboard query: {}", e.getMessage());
            json(ex, 502, JSON.createObjectNode().put("error", "Elasticsearch answered but refused the dashboard's question ("
                    + e.error().reason() + "). The figures on this page are not being updated. Tell the SafePath team."));
        } catch (IOException | RuntimeException e) {
            json(ex, 503, JSON.createObjectNode().put("error", notAnswering(e)));
        }
    }

    /** What the page says when Elasticsearch does not answer: what happened, what it means, what to check. */
    private String notAnswering(Exception e) {
        String refusal = org.safepath.connectors.elasticsearch.ElasticsearchClients.refusal(e);
        if (refusal != null) {
            return refusal.replace("SafePath's", "the dashboard's") + " The figures on this page are the last ones read and are not being updated.";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root instanceof java.net.ConnectException ? "connection refused"
                : root instanceof java.net.SocketTimeoutException ? "no answer in time"
                : root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return "Elasticsearch is not answering (" + why + " at " + elasticsearch + "). The figures on this page are the last ones read "
                + "and are not being updated. SafePath keeps what it has to write meanwhile, and the page catches up by itself when "
                + "Elasticsearch is back. Ask the platform team to check that Elasticsearch is running.";
    }

    private static Map<String, String> params(HttpExchange ex) {
        Map<String, String> m = new LinkedHashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            m.putAll(form(q));
        }
        return m;
    }

    /**
     * {@code /ack/ID}: the link in every alert message. GET shows the alert's acknowledgement, or a form to give one
     * (a name or role); POST records it. A link followed by a mail scanner therefore acknowledges nothing. The
     * dashboard's Alerts view posts the same form from the page ({@code Accept: application/json}).
     */
    private void acknowledge(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/ack/".length());
        boolean wantsJson = String.valueOf(ex.getRequestHeaders().getFirst("Accept")).contains("application/json");
        if (!id.matches("[A-Za-z0-9_-]{1,100}")) {
            send(ex, 404, "text/html; charset=utf-8", html("No such alert", "<p>That is not an alert id.</p>"));
            return;
        }
        try {
            AlertAcknowledgements.Ack ack;
            if (ex.getRequestMethod().equals("POST")) {
                Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                ack = acks.acknowledge(id, form.get("by"), form.get("note"));
            } else {
                ack = acks.of(List.of(id)).get(id);
            }
            if (wantsJson) {
                json(ex, 200, ack == null ? JSON.createObjectNode() : JSON.createObjectNode().put("alert_id", id).put("acknowledged_by", ack.by())
                        .put("acknowledged_at", ack.at().toString()));
            } else if (ack != null) {
                send(ex, 200, "text/html; charset=utf-8", html("Alert acknowledged", "<p>Alert " + escape(id) + " was acknowledged by <strong>"
                        + escape(ack.by()) + "</strong> on " + escape(DashboardApi.WHEN.format(ack.at())) + ".</p><p><a href=\"/#alerts\">All alerts</a></p>"));
            } else {
                send(ex, 200, "text/html; charset=utf-8", html("Acknowledge alert " + escape(id),
                        "<form method=\"post\"><p><label for=\"by\">Your name or role</label><br><input id=\"by\" name=\"by\" required></p>"
                                + "<p><label for=\"note\">Note (optional, no personal details)</label><br><input id=\"note\" name=\"note\"></p>"
                                + "<p><button type=\"submit\">Acknowledge</button></p></form>"));
            }
        } catch (IllegalArgumentException e) {
            if (wantsJson) {
                json(ex, 400, JSON.createObjectNode().put("error", e.getMessage()));
            } else {
                send(ex, 400, "text/html; charset=utf-8", html("Not acknowledged", "<p>" + escape(e.getMessage()) + "</p>"));
            }
        } catch (Exception e) {
            if (wantsJson) {
                json(ex, 503, JSON.createObjectNode().put("error", notAnswering(e)));
            } else {
                send(ex, 503, "text/html; charset=utf-8", html("Not acknowledged", "<p>" + escape(notAnswering(e))
                        + " The acknowledgement was not recorded; try again in a minute.</p>"));
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] html(String title, String body) {
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + " - SafePath</title></head><body><h1>"
                + title + "</h1>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
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
