package org.safepath.dashboards;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * The answers of the dashboard's JSON API, and of {@code safepath query}: the same question gets the same numbers
 * on the page, in its CSV downloads and on the command line. A question is a map of parameters, as the API's query
 * string: dimension filters ({@code local_authority=E06000054}), {@code board=1} for the board view's disclosure
 * control, {@code format=csv}. A bad question is an {@link IllegalArgumentException} that says what is wrong.
 */
public final class DashboardApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Figures older than this are said to be stale at the top of the page. Every domain writes its values at least
     * hourly (the hourly evaluation), even when no event arrives, so anything older than an hour and a quarter means
     * the pipeline is not keeping up with the clock.
     */
    static final Duration STALE_AFTER = Duration.ofMinutes(75);
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm").withZone(ZoneId.of("Europe/London"));

    /** Where a request's independent queries run side by side (the Elasticsearch client is thread-safe). */
    private static final ExecutorService ALONGSIDE = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dashboard-query");
        t.setDaemon(true);
        return t;
    });

    private final DashboardQueries queries;
    private final AlertAcknowledgements acks;
    private final IndicatorCatalogue catalogue;

    public DashboardApi(ElasticsearchClient es, IndicatorCatalogue catalogue) {
        this.queries = new DashboardQueries(es, catalogue);
        this.acks = new AlertAcknowledgements(es);
        this.catalogue = catalogue;
    }

    public DashboardQueries queries() {
        return queries;
    }

    public ObjectNode catalogue() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("indicators");
        for (IndicatorDefinition d : catalogue.all()) {
            list.add(JSON.valueToTree(d));
        }
        out.set("domains", JSON.valueToTree(catalogue.domains()));
        out.set("named", JSON.valueToTree(new java.util.TreeMap<>(org.safepath.connectors.elasticsearch.NameDocuments.KIND_OF_DIMENSION)));
        ObjectNode rollUps = out.putObject("roll_ups");
        for (IndicatorDefinition d : catalogue.all()) {
            if (!catalogue.rollUps(d.domain()).isEmpty()) {
                rollUps.set(d.domain(), JSON.valueToTree(catalogue.rollUps(d.domain())));
            }
        }
        return out;
    }


    /** What the page says at the top: Elasticsearch's state, and each domain's freshness in words. */
    public ObjectNode status(Instant now) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("now", now.toString());
        // Three questions at once: the status line asks them on every refresh of every view.
        Future<String> health = ALONGSIDE.submit(queries::health);
        Future<List<DashboardQueries.Freshness>> freshness = ALONGSIDE.submit(queries::freshness);
        Future<Map<String, Map<String, Long>>> deadLetters = ALONGSIDE.submit(queries::deadLetters);
        out.put("elasticsearch", answer(health));
        ArrayNode domains = out.putArray("domains");
        ArrayNode problems = out.putArray("problems");
        if ("red".equals(out.get("elasticsearch").asText())) {
            problems.add("Elasticsearch answers but some of its data is unavailable (cluster health red): some figures may be missing. "
                    + "Ask the platform team to check the cluster.");
        }
        List<String> stale = new ArrayList<>();
        for (DashboardQueries.Freshness f : answer(freshness)) {
            domains.addObject().put("domain", f.domain()).put("oldest", f.oldest().toString()).put("newest", f.newest().toString())
                    .put("values", f.values());
            Duration age = Duration.between(f.newest(), now);
            if (age.compareTo(STALE_AFTER) > 0) {
                stale.add(catalogue.domains().getOrDefault(f.domain(), f.domain()) + ": last updated " + ago(age) + " (as of " + WHEN.format(f.newest()) + ")");
            }
        }
        if (!stale.isEmpty()) {
            problems.add("Figures behind the clock: " + String.join("; ", stale) + ". Every figure is brought up to date at least hourly, so "
                    + "the SafePath pipeline is stopped or still catching up: check that the SafePath job is running and reading its Kafka topics.");
        }
        long dead = answer(deadLetters).values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        out.put("dead_letters", dead);
        return out;
    }

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
    public Object overview(Map<String, String> params, Instant now) throws IOException {
        boolean board = "1".equals(params.get("board"));
        Map<String, String> filters = dimensionFilters(params);
        var before = ALONGSIDE.submit(() -> queries.totalsAt(now.truncatedTo(ChronoUnit.HOURS).minus(24, ChronoUnit.HOURS), filters));
        var totals = queries.totalsNow(filters);
        var dayBefore = answer(before);
        List<Map<String, Object>> tiles = new ArrayList<>();
        for (IndicatorDefinition d : catalogue.all()) {
            Map<String, Object> tile = new LinkedHashMap<>();
            tile.put("indicator", d.id());
            tile.put("domain", d.domain());
            tile.put("title", d.title());
            tile.put("unit", d.unit());
            DashboardQueries.Total t = totals.get(d.id());
            DashboardQueries.Total b = dayBefore.get(d.id());
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

    public Object current(Map<String, String> params) throws IOException {
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

    public Object history(Map<String, String> params) throws IOException {
        String indicator = params.get("indicator");
        if (indicator == null) {
            throw new IllegalArgumentException("Say which indicator: indicator=…");
        }
        IndicatorDefinition d = catalogue.get(indicator);
        Instant to = params.containsKey("to") ? instant("to", params.get("to")) : Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant from = params.containsKey("from") ? instant("from", params.get("from")) : to.minus(30, ChronoUnit.DAYS);
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
    public Object alerts(Map<String, String> params) throws IOException {
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

    /** What codes are called: {@code {"cqc_location": {"1-123456789": "Elm Court"}}}. */
    public Object names() throws IOException {
        return JSON.valueToTree(queries.names());
    }

    public Object deadLetters() throws IOException {
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

    /** The request's dimension filters: any parameter named like a catalogue dimension. */
    Map<String, String> dimensionFilters(Map<String, String> params) {
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
    private Csv csvOfRows(List<Map<String, Object>> rows, boolean board) throws IOException {
        // Dimensions in the catalogue's order (local authority, then the finer ones), as the page shows them; a code
        // that can have a name (a site, a council, a care home) has its name in the next column, empty if none is known.
        java.util.Set<String> present = new java.util.HashSet<>();
        rows.forEach(r -> ((Map<?, ?>) r.get("dimensions")).keySet().forEach(k -> present.add(String.valueOf(k))));
        List<String> dims = catalogue.all().stream().flatMap(d -> d.dimensions().stream()).distinct()
                .filter(present::contains).toList();
        Map<String, String> kinds = org.safepath.connectors.elasticsearch.NameDocuments.KIND_OF_DIMENSION;
        Map<String, Map<String, String>> names = dims.stream().anyMatch(kinds::containsKey) ? queries.names() : Map.of();
        List<String> header = new ArrayList<>(List.of("indicator", "title"));
        for (String dim : dims) {
            header.add(dim);
            if (kinds.containsKey(dim)) {
                header.add(dim + "_name");
            }
        }
        header.addAll(List.of("value", "unit", "rag", "as_of"));
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<Object> line = new ArrayList<>(List.of(r.get("indicator"), r.get("title")));
            Map<?, ?> d = (Map<?, ?>) r.get("dimensions");
            for (String dim : dims) {
                Object code = d.containsKey(dim) ? d.get(dim) : "";
                line.add(code);
                if (kinds.containsKey(dim)) {
                    line.add(names.getOrDefault(kinds.get(dim), Map.of()).getOrDefault(String.valueOf(code), ""));
                }
            }
            line.addAll(List.of(r.get("shown"), r.get("unit"), r.get("rag"), r.get("as_of")));
            out.add(line);
        }
        return csv(header, out);
    }

    /** A CSV answer. */
    public record Csv(String text) {
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

    /** An instant parameter, or an error that names it and shows the form it takes. */
    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, not '" + value + "'");
        }
    }

    /** A query run alongside: its answer, or what it threw, as if it had been run here. */
    private static <T> T answer(Future<T> query) throws IOException {
        try {
            return query.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for Elasticsearch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }
}
