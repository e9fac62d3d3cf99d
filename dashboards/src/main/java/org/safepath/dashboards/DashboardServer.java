package org.safepath.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

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
    /** Figures older than this are said to be stale at the top of the page. */
    static final Duration STALE_AFTER = Duration.ofMinutes(15);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm").withZone(ZoneId.of("Europe/London"));

    private final HttpServer server;
    private final String elasticsearch;
    private final co.elastic.clients.transport.rest_client.RestClientTransport transport;
    private final DashboardQueries queries;
    private final AlertAcknowledgements acks;
    private final IndicatorCatalogue catalogue = IndicatorCatalogue.defaults();

    private DashboardServer(HttpServer server, String elasticsearch, ElasticsearchSettings settings) {
        this.server = server;
        this.elasticsearch = elasticsearch;
        this.transport = ElasticsearchClients.transport(settings);
        var client = ElasticsearchClients.blocking(transport);
        this.queries = new DashboardQueries(client, catalogue);
        this.acks = new AlertAcknowledgements(client);
        server.createContext("/", this::page);
        server.createContext("/api/catalogue", ex -> json(ex, 200, catalogueJson()));
        server.createContext("/api/status", ex -> answer(ex, () -> status(Instant.now())));
        server.createContext("/api/current", ex -> answer(ex, () -> current(params(ex))));
        server.createContext("/api/overview", ex -> answer(ex, () -> overview(params(ex), Instant.now())));
        server.createContext("/api/history", ex -> answer(ex, () -> history(params(ex))));
        server.createContext("/api/alerts", ex -> answer(ex, () -> alerts(params(ex))));
        server.createContext("/api/dead-letters", ex -> answer(ex, this::deadLetters));
        server.createContext("/api/values", ex -> answer(ex, () -> {
            String dimension = params(ex).getOrDefault("dimension", "local_authority");
            if (!catalogue.dimensionNames().contains(dimension)) {
                throw new IllegalArgumentException("No dimension '" + dimension + "' in the catalogue");
            }
            return JSON.createObjectNode().set("values", JSON.valueToTree(queries.values(dimension)));
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

    private ObjectNode catalogueJson() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("indicators");
        for (IndicatorDefinition d : catalogue.all()) {
            list.add(JSON.valueToTree(d));
        }
        ObjectNode rollUps = out.putObject("roll_ups");
        for (IndicatorDefinition d : catalogue.all()) {
            if (!catalogue.rollUps(d.domain()).isEmpty()) {
                rollUps.set(d.domain(), JSON.valueToTree(catalogue.rollUps(d.domain())));
            }
        }
        return out;
    }

    // ---- the API ----

    /** What the page says at the top: Elasticsearch's state, and each domain's freshness in words. */
    ObjectNode status(Instant now) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("now", now.toString());
        out.put("elasticsearch", queries.health());
        ArrayNode domains = out.putArray("domains");
        ArrayNode problems = out.putArray("problems");
        if ("red".equals(out.get("elasticsearch").asText())) {
            problems.add("Elasticsearch answers but some of its data is unavailable (cluster health red): some figures may be missing. "
                    + "Ask the platform team to check the cluster.");
        }
        List<String> stale = new ArrayList<>();
        for (DashboardQueries.Freshness f : queries.freshness()) {
            domains.addObject().put("domain", f.domain()).put("oldest", f.oldest().toString()).put("newest", f.newest().toString())
                    .put("values", f.values());
            Duration age = Duration.between(f.newest(), now);
            if (age.compareTo(STALE_AFTER) > 0) {
                stale.add(DOMAIN_NAMES.getOrDefault(f.domain(), f.domain()) + ": last updated " + ago(age) + " (as of " + WHEN.format(f.newest()) + ")");
            }
        }
        if (!stale.isEmpty()) {
            problems.add("Figures not updated recently: " + String.join("; ", stale) + ". Either no events have arrived since, or the "
                    + "SafePath pipeline is stopped or still catching up: check that the SafePath job is running and reading its Kafka topics.");
        }
        long dead = queries.deadLetters().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        out.put("dead_letters", dead);
        return out;
    }

    static final Map<String, String> DOMAIN_NAMES = Map.of("discharge", "hospital discharge", "safeguarding", "safeguarding",
            "provider", "provider", "brokerage", "brokerage", "waiting", "waiting list", "transitions", "transitions",
            "placements", "out-of-area placements");

    private static String ago(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days ago";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " hours ago";
        }
        return d.toMinutes() + " minutes ago";
    }

    /**
     * Every indicator as a tile: its total now where it adds up (or its one value, when the filters leave one row),
     * how many rows are red or amber, and the total 24 hours earlier, so the page can say what changed.
     */
    private Object overview(Map<String, String> params, Instant now) throws IOException {
        boolean board = "1".equals(params.get("board"));
        Map<String, String> filters = dimensionFilters(params);
        var totals = queries.totalsNow(filters);
        var before = queries.totalsAt(now.truncatedTo(ChronoUnit.HOURS).minus(24, ChronoUnit.HOURS), filters);
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (IndicatorDefinition d : catalogue.all()) {
            Map<String, Object> tile = new LinkedHashMap<>();
            tile.put("indicator", d.id());
            tile.put("domain", d.domain());
            tile.put("title", d.title());
            tile.put("unit", d.unit());
            DashboardQueries.Total t = totals.get(d.id());
            DashboardQueries.Total b = before.get(d.id());
            tile.put("rows", t == null ? 0 : t.rows());
            tile.put("red", t == null ? 0 : t.rag().getOrDefault("RED", 0L));
            tile.put("amber", t == null ? 0 : t.rag().getOrDefault("AMBER", 0L));
            boolean oneValue = t != null && (d.additive() || t.rows() == 1);
            if (oneValue) {
                tile.put("value", t.sum());
                shown(tile, d, board);
            } else {
                tile.put("value", null);
                tile.put("shown", t == null ? "no values" : t.rows() + " values");
            }
            if (oneValue && b != null && (d.additive() || b.rows() == 1)) {
                Map<String, Object> then = new LinkedHashMap<>();
                then.put("value", b.sum());
                shown(then, d, board);
                tile.put("day_before", then.get("value"));
                tile.put("day_before_shown", then.get("shown"));
            }
            tiles.add(tile);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("board_view", board);
        out.set("tiles", JSON.valueToTree(tiles));
        return out;
    }

    private Object current(Map<String, String> params) throws IOException {
        String domain = params.get("domain");
        if (domain != null && catalogue.domain(domain).isEmpty()) {
            throw new IllegalArgumentException("No domain '" + domain + "' in the catalogue");
        }
        boolean board = "1".equals(params.get("board"));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> only = params.containsKey("indicators") ? List.of(params.get("indicators").split(",")) : null;
        for (Map<String, Object> doc : queries.current(domain, dimensionFilters(params))) {
            Map<String, Object> row = new LinkedHashMap<>(doc);
            IndicatorDefinition d = catalogue.find(String.valueOf(doc.get("indicator")));
            if (d == null || (only != null && !only.contains(d.id()))) {
                continue;
            }
            row.put("title", d.title());
            shown(row, d, board);
            rows.add(row);
        }
        if ("csv".equals(params.get("format"))) {
            return csvOfRows(rows, board);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("board_view", board);
        out.set("rows", JSON.valueToTree(rows));
        return out;
    }

    /**
     * Adds {@code shown}, the value as this view may show it: exact for operational staff; in the board view, counts
     * of people through disclosure control, and rates from suppressed counts suppressed ({@code value} then null).
     */
    @SuppressWarnings("unchecked")
    static void shown(Map<String, Object> row, IndicatorDefinition d, boolean board) {
        double v = ((Number) row.get("value")).doubleValue();
        if (!board) {
            row.put("shown", format(d, v));
            return;
        }
        if (d.peopleCount()) {
            String s = Disclosure.count(v);
            row.put("shown", s);
            row.put("value", s.equals(Disclosure.SUPPRESSED) ? null : Double.parseDouble(s));
            return;
        }
        Object components = row.get("components");
        boolean fromSuppressed = (d.unit().equals("ratio") || d.unit().equals("rate")) && components instanceof Map<?, ?> c
                && ((Map<String, Object>) c).values().stream().anyMatch(x -> x instanceof Number n && Disclosure.suppressed(n.doubleValue()));
        if (fromSuppressed) {
            row.put("shown", Disclosure.SUPPRESSED);
            row.put("value", null);
        } else {
            row.put("shown", format(d, v));
        }
        row.remove("components");
    }

    static String format(IndicatorDefinition d, double v) {
        if (d.unit().equals("ratio")) {
            return Math.round(v * 1000) / 10.0 + "%";
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    private Object history(Map<String, String> params) throws IOException {
        String indicator = params.get("indicator");
        if (indicator == null) {
            throw new IllegalArgumentException("Say which indicator: indicator=…");
        }
        IndicatorDefinition d = catalogue.get(indicator);
        Instant to = params.containsKey("to") ? Instant.parse(params.get("to")) : Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant from = params.containsKey("from") ? Instant.parse(params.get("from")) : to.minus(30, ChronoUnit.DAYS);
        Duration interval = org.safepath.connectors.config.Durations.parse("interval", params.getOrDefault("interval", "1d"));
        boolean board = "1".equals(params.get("board"));
        var series = queries.history(indicator, params.get("by"), dimensionFilters(params), from, to, interval);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var s : series) {
            for (var p : s.points()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("indicator", indicator);
                row.put("series", s.key());
                row.put("at", p.at().toString());
                row.put("value", p.value());
                shown(row, d, board);
                rows.add(row);
            }
        }
        if ("csv".equals(params.get("format"))) {
            return csv(List.of("indicator", "series", "at", "value"), rows.stream().map(r -> List.of(r.get("indicator"), r.get("series"),
                    r.get("at"), r.get("shown"))).toList());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("indicator", indicator).put("title", d.title()).put("unit", d.unit()).put("board_view", board);
        out.set("rows", JSON.valueToTree(rows));
        return out;
    }

    /** Alerts, newest first, with who acknowledged them and where their deliveries stand (overdue is flagged). */
    private Object alerts(Map<String, String> params) throws IOException {
        boolean open = "1".equals(params.get("open"));
        int size = Integer.parseInt(params.getOrDefault("size", "200"));
        List<AlertAcknowledgements.Listed> listed = acks.list(params.get("audience"), open, Math.min(size, 2000));
        var deliveries = queries.deliveries(listed.stream().map(l -> String.valueOf(l.alert().get("alert_id"))).toList());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AlertAcknowledgements.Listed l : listed) {
            Map<String, Object> row = new LinkedHashMap<>(l.alert());
            row.remove("evidence_event_ids");
            String id = String.valueOf(row.get("alert_id"));
            if (l.ack() != null) {
                row.put("acknowledged_by", l.ack().by());
                row.put("acknowledged_at", l.ack().at().toString());
            }
            List<Map<String, Object>> ds = deliveries.getOrDefault(id, List.of());
            row.put("deliveries", ds.stream().map(x -> x.get("channel") + " to " + x.get("recipient") + ": " + x.get("status")).toList());
            row.put("delivery_overdue", ds.stream().anyMatch(x -> Boolean.TRUE.equals(x.get("overdue")) && !"sent".equals(x.get("status"))));
            rows.add(row);
        }
        if ("csv".equals(params.get("format"))) {
            return csv(List.of("alert_id", "raised_at", "severity", "rule", "subject_name", "subject_id", "audience", "recipient",
                    "acknowledged_by", "acknowledged_at", "deliveries"), rows.stream().map(r -> List.of(
                    r.get("alert_id"), r.get("raised_at"), r.get("severity"), r.get("rule"), r.getOrDefault("subject_name", ""),
                    r.get("subject_id"), r.get("audience"), r.getOrDefault("recipient", ""), r.getOrDefault("acknowledged_by", ""),
                    r.getOrDefault("acknowledged_at", ""), String.join("; ", (List<String>) r.get("deliveries")))).toList());
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("rows", JSON.valueToTree(rows));
        return out;
    }

    private Object deadLetters() throws IOException {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode streams = out.putObject("streams");
        long total = 0;
        for (var stream : queries.deadLetters().entrySet()) {
            ObjectNode reasons = streams.putObject(stream.getKey());
            for (var reason : stream.getValue().entrySet()) {
                reasons.put(reason.getKey(), reason.getValue());
                total += reason.getValue();
            }
        }
        out.put("total", total);
        return out;
    }

    // ---- plumbing ----

    /** The request's dimension filters: any parameter named like a catalogue dimension. */
    private Map<String, String> dimensionFilters(Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : catalogue.dimensionNames()) {
            String v = params.get(name);
            if (v != null && !v.isBlank()) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** A CSV of current values: one column per dimension the rows have. */
    private Csv csvOfRows(List<Map<String, Object>> rows, boolean board) {
        // Dimensions in the catalogue's order (local authority, then the finer ones), as the page shows them.
        java.util.Set<String> present = new java.util.HashSet<>();
        rows.forEach(r -> ((Map<?, ?>) r.get("dimensions")).keySet().forEach(k -> present.add(String.valueOf(k))));
        List<String> dims = catalogue.all().stream().flatMap(d -> d.dimensions().stream()).distinct()
                .filter(present::contains).toList();
        List<String> header = new ArrayList<>(List.of("indicator", "title"));
        header.addAll(dims);
        header.addAll(List.of("value", "unit", "rag", "as_of"));
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<Object> line = new ArrayList<>(List.of(r.get("indicator"), r.get("title")));
            Map<?, ?> d = (Map<?, ?>) r.get("dimensions");
            dims.forEach(name -> line.add(d.containsKey(name) ? d.get(name) : ""));
            line.addAll(List.of(r.get("shown"), r.get("unit"), r.get("rag"), r.get("as_of")));
            out.add(line);
        }
        return csv(header, out);
    }

    /** A CSV answer. */
    record Csv(String text) {
    }

    private static Csv csv(List<String> header, List<? extends List<?>> rows) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
            for (List<?> r : rows) {
                p.printRecord(r);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Csv(w.toString());
    }

    interface Answer {
        Object get() throws IOException;
    }

    /** Runs a query and answers it: JSON or CSV; 400 with the reason for a bad request; 503 in words when Elasticsearch does not answer. */
    private void answer(HttpExchange ex, Answer a) throws IOException {
        try {
            Object out = a.get();
            if (out instanceof Csv c) {
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
                        + escape(ack.by()) + "</strong> on " + escape(WHEN.format(ack.at())) + ".</p><p><a href=\"/#alerts\">All alerts</a></p>"));
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
