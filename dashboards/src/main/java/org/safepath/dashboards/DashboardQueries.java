package org.safepath.dashboards;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * What the dashboard and {@code safepath query} ask Elasticsearch, through the Elasticsearch Java client and the
 * project's connection settings (so auth, API keys and a CA work as everywhere else): the current values of a
 * domain, an indicator's history, how fresh each domain's figures are, the dead letters, and the alerts with their
 * acknowledgement and delivery state.
 */
public final class DashboardQueries {

    /** A point of a series: the bucket's start and the value (the last hour of the bucket). */
    public record Point(Instant at, double value) {
    }

    /** One series of an indicator's history: all of it ({@code key} "total") or one value of the {@code by} dimension. */
    public record Series(String key, List<Point> points) {
    }

    /** How old a domain's figures are: the oldest and newest "as of" among its current values. */
    public record Freshness(String domain, Instant oldest, Instant newest, long values) {
    }

    private final ElasticsearchClient es;
    private final IndicatorCatalogue catalogue;

    public DashboardQueries(ElasticsearchClient es, IndicatorCatalogue catalogue) {
        this.es = es;
        this.catalogue = catalogue;
    }

    public IndicatorCatalogue catalogue() {
        return catalogue;
    }

    /** The current values of a domain (all domains when null), narrowed by dimension values ({@code local_authority → E06…}). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> current(String domain, Map<String, String> dimensions) throws IOException {
        List<Query> filters = new ArrayList<>();
        if (domain != null) {
            filters.add(term("domain", domain));
        }
        dimensions.forEach((name, value) -> filters.add(term("dimensions." + name, value)));
        List<Map<String, Object>> out = new ArrayList<>();
        if (!es.indices().exists(e -> e.index(SafePathIndices.CURRENT)).value()) {
            return out; // nothing written yet
        }
        // A point in time, paged in shard order: a consistent read of however many values there are.
        String pit = es.openPointInTime(o -> o.index(SafePathIndices.CURRENT).keepAlive(k -> k.time("1m"))).id();
        try {
            List<FieldValue> after = null;
            while (true) {
                List<FieldValue> from = after;
                SearchResponse<Map> r = es.search(s -> {
                    s.pit(p -> p.id(pit).keepAlive(k -> k.time("1m"))).size(5000).query(q -> q.bool(b -> b.filter(filters)))
                            .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
                    if (from != null) {
                        s.searchAfter(from);
                    }
                    return s;
                }, Map.class);
                List<Hit<Map>> hits = r.hits().hits();
                for (Hit<Map> h : hits) {
                    out.add((Map<String, Object>) h.source());
                }
                if (hits.size() < 5000) {
                    return out;
                }
                after = hits.get(hits.size() - 1).sort();
            }
        } finally {
            es.closePointInTime(c -> c.id(pit));
        }
    }

    /**
     * An indicator's history from the hourly history indices, between {@code from} and {@code to}, in buckets of
     * {@code interval}; each bucket's value is the one of its last hour (these are levels, not flows, so hours are
     * never added up). Without {@code by}, the values at the domain's roll-up rows are totalled where the indicator
     * adds up; an indicator that does not add up (a median, a ratio) needs {@code by}, or filters down to one row.
     */
    public List<Series> history(String indicator, String by, Map<String, String> dimensions, Instant from, Instant to,
                                Duration interval) throws IOException {
        IndicatorDefinition d = catalogue.get(indicator);
        if (by != null && !d.dimensions().contains(by)) {
            throw new IllegalArgumentException(indicator + " has no dimension '" + by + "'; it has " + String.join(", ", d.dimensions()));
        }
        for (String name : dimensions.keySet()) {
            if (!d.dimensions().contains(name)) {
                throw new IllegalArgumentException(indicator + " has no dimension '" + name + "'; it has " + String.join(", ", d.dimensions()));
            }
        }
        List<Query> filters = new ArrayList<>();
        filters.add(term("indicator", indicator));
        filters.add(Query.of(q -> q.range(r -> r.date(x -> x.field("hour").gte(from.toString()).lt(to.toString())))));
        dimensions.forEach((name, value) -> filters.add(term("dimensions." + name, value)));
        // A domain's roll-up rows (discharge: pathway ALL) hold each fact once more; total over them only.
        catalogue.rollUps(d.domain()).forEach((name, value) -> {
            if (d.dimensions().contains(name) && !name.equals(by) && !dimensions.containsKey(name)) {
                filters.add(term("dimensions." + name, value));
            }
        });
        SearchResponse<Void> r = es.search(s -> s.index(SafePathIndices.HISTORY_ALIAS).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .query(q -> q.bool(b -> b.filter(filters)))
                .aggregations("series", a -> {
                    if (by == null) {
                        a.filters(f -> f.filters(k -> k.keyed(Map.of("total", Query.of(q -> q.matchAll(m -> m))))));
                    } else {
                        a.terms(t -> t.field("dimensions." + by).size(500));
                    }
                    return a.aggregations("hours", h -> h.dateHistogram(x -> x.field("hour").calendarInterval(CalendarInterval.Hour).minDocCount(1))
                            .aggregations("value", v -> v.sum(m -> m.field("value")))
                            .aggregations("rows", v -> v.valueCount(m -> m.field("indicator"))));
                }), Void.class);
        List<Series> out = new ArrayList<>();
        Aggregate series = r.aggregations().get("series");
        if (series == null) {
            return out;
        }
        if (by == null) {
            series.filters().buckets().keyed().forEach((key, b) -> out.add(new Series(key, points(d, b.aggregations().get("hours"), from, interval))));
        } else {
            for (var b : series.sterms().buckets().array()) {
                out.add(new Series(b.key().stringValue(), points(d, b.aggregations().get("hours"), from, interval)));
            }
        }
        out.removeIf(s -> s.points().isEmpty());
        return out;
    }

    private static List<Point> points(IndicatorDefinition d, Aggregate hours, Instant from, Duration interval) {
        TreeMap<Long, Point> last = new TreeMap<>();
        for (DateHistogramBucket h : hours.dateHistogram().buckets().array()) {
            if (!d.additive() && h.aggregations().get("rows").valueCount().value() > 1) {
                throw new IllegalArgumentException(d.id() + " (" + d.unit() + ") does not add up across " + String.join(", ", d.dimensions())
                        + ": split it by one of them (by=… on the API, --by on the command line) or filter down to one row");
            }
            long bucket = from.toEpochMilli() + (h.key() - from.toEpochMilli()) / interval.toMillis() * interval.toMillis();
            last.put(bucket, new Point(Instant.ofEpochMilli(bucket), h.aggregations().get("value").sum().value()));
        }
        return new ArrayList<>(last.values());
    }

    /** One indicator's figures across its rows at the roll-up level: the total, how many rows, and rows by RAG. */
    public record Total(String indicator, double sum, long rows, Map<String, Long> rag) {
    }

    /** Every indicator's total now (from the current values), narrowed by dimension values. */
    public Map<String, Total> totalsNow(Map<String, String> dimensions) throws IOException {
        return totals(SafePathIndices.CURRENT, dimensions, null);
    }

    /** Every indicator's total at the start of this hour (from the history), narrowed by dimension values. */
    public Map<String, Total> totalsAt(Instant hour, Map<String, String> dimensions) throws IOException {
        return totals(SafePathIndices.HISTORY_ALIAS, dimensions, hour);
    }

    private Map<String, Total> totals(String index, Map<String, String> dimensions, Instant hour) throws IOException {
        List<Query> filters = new ArrayList<>();
        dimensions.forEach((name, value) -> filters.add(term("dimensions." + name, value)));
        if (hour != null) {
            filters.add(Query.of(q -> q.term(t -> t.field("hour").value(hour.toString()))));
        }
        // Rows at each domain's roll-up level only (discharge: pathway ALL), so no fact is counted twice.
        List<Query> levels = new ArrayList<>();
        List<FieldValue> rolledUp = new ArrayList<>();
        for (String domain : catalogue.all().stream().map(IndicatorDefinition::domain).distinct().toList()) {
            Map<String, String> rollUps = catalogue.rollUps(domain);
            if (!rollUps.isEmpty()) {
                rolledUp.add(FieldValue.of(domain));
                List<Query> level = new ArrayList<>(List.of(term("domain", domain)));
                rollUps.forEach((name, value) -> level.add(term("dimensions." + name, value)));
                levels.add(Query.of(q -> q.bool(b -> b.filter(level))));
            }
        }
        levels.add(Query.of(q -> q.bool(b -> b.mustNot(m -> m.terms(t -> t.field("domain").terms(v -> v.value(rolledUp)))))));
        filters.add(Query.of(q -> q.bool(b -> b.should(levels).minimumShouldMatch("1"))));
        SearchResponse<Void> r = es.search(s -> s.index(index).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .query(q -> q.bool(b -> b.filter(filters)))
                .aggregations("indicators", a -> a.terms(t -> t.field("indicator").size(500))
                        .aggregations("sum", v -> v.sum(m -> m.field("value")))
                        .aggregations("rag", v -> v.terms(t -> t.field("rag").size(10)))), Void.class);
        Map<String, Total> out = new TreeMap<>();
        Aggregate indicators = r.aggregations().get("indicators");
        if (indicators != null) {
            for (var b : indicators.sterms().buckets().array()) {
                Map<String, Long> rag = new TreeMap<>();
                b.aggregations().get("rag").sterms().buckets().array().forEach(x -> rag.put(x.key().stringValue(), x.docCount()));
                out.put(b.key().stringValue(), new Total(b.key().stringValue(), b.aggregations().get("sum").sum().value(), b.docCount(), rag));
            }
        }
        return out;
    }

    /** The values a dimension takes in the current figures (the local authorities, for the filter). */
    public List<String> values(String dimension) throws IOException {
        SearchResponse<Void> r = es.search(s -> s.index(SafePathIndices.CURRENT).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .aggregations("values", a -> a.terms(t -> t.field("dimensions." + dimension).size(1000))), Void.class);
        List<String> out = new ArrayList<>();
        Aggregate values = r.aggregations().get("values");
        if (values != null) {
            values.sterms().buckets().array().forEach(b -> out.add(b.key().stringValue()));
        }
        out.sort(null);
        return out;
    }

    /**
     * What codes are called, by kind ({@code cqc_location}) and code, from the names index (at most 10,000: the care
     * homes of a region).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, String>> names() throws IOException {
        SearchResponse<Map> r = es.search(s -> s.index(SafePathIndices.NAMES).ignoreUnavailable(true).allowNoIndices(true).size(10_000)
                .source(src -> src.filter(f -> f.includes("kind", "code", "name"))), Map.class);
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (var hit : r.hits().hits()) {
            Map<String, Object> d = hit.source();
            if (d != null && d.get("name") != null) {
                out.computeIfAbsent(String.valueOf(d.get("kind")), k -> new TreeMap<>()).put(String.valueOf(d.get("code")), String.valueOf(d.get("name")));
            }
        }
        return out;
    }

    /** How fresh each domain's current figures are. */
    public List<Freshness> freshness() throws IOException {
        SearchResponse<Void> r = es.search(s -> s.index(SafePathIndices.CURRENT).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .aggregations("domains", a -> a.terms(t -> t.field("domain").size(50))
                        .aggregations("oldest", m -> m.min(x -> x.field("as_of")))
                        .aggregations("newest", m -> m.max(x -> x.field("as_of")))), Void.class);
        List<Freshness> out = new ArrayList<>();
        Aggregate domains = r.aggregations().get("domains");
        if (domains != null) {
            for (var b : domains.sterms().buckets().array()) {
                out.add(new Freshness(b.key().stringValue(), Instant.ofEpochMilli((long) b.aggregations().get("oldest").min().value()),
                        Instant.ofEpochMilli((long) b.aggregations().get("newest").max().value()), b.docCount()));
            }
        }
        return out;
    }

    /** Dead letters by stream and reason (a record with no source counts as "(no source)"). */
    public Map<String, Map<String, Long>> deadLetters() throws IOException {
        SearchResponse<Void> r = es.search(s -> s.index(SafePathIndices.DEAD_LETTERS).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .aggregations("streams", a -> a.terms(t -> t.field("source_topic").missing("(no source)").size(50))
                        .aggregations("reasons", reasons -> reasons.terms(t -> t.field("reason").size(50)))), Void.class);
        Map<String, Map<String, Long>> out = new TreeMap<>();
        Aggregate streams = r.aggregations().get("streams");
        if (streams != null) {
            for (var stream : streams.sterms().buckets().array()) {
                for (var reason : stream.aggregations().get("reasons").sterms().buckets().array()) {
                    out.computeIfAbsent(stream.key().stringValue(), k -> new TreeMap<>()).put(reason.key().stringValue(), reason.docCount());
                }
            }
        }
        return out;
    }

    /** Per alert id: its deliveries (channel, recipient, status, attempts, last error) from the dispatcher's log. */
    @SuppressWarnings("unchecked")
    public Map<String, List<Map<String, Object>>> deliveries(List<String> alertIds) throws IOException {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        if (alertIds.isEmpty()) {
            return out;
        }
        SearchResponse<Map> r = es.search(s -> s.index(SafePathIndices.DELIVERIES).ignoreUnavailable(true).allowNoIndices(true).size(10_000)
                .query(q -> q.terms(t -> t.field("alert_id").terms(v -> v.value(alertIds.stream().map(FieldValue::of).toList())))), Map.class);
        for (Hit<Map> h : r.hits().hits()) {
            Map<String, Object> d = (Map<String, Object>) h.source();
            out.computeIfAbsent(String.valueOf(d.get("alert_id")), k -> new ArrayList<>()).add(d);
        }
        return out;
    }

    /** Whether Elasticsearch answers, and its cluster health (green, yellow, red). */
    public String health() throws IOException {
        return es.cluster().health(h -> h.timeout(t -> t.time("5s"))).status().jsonValue();
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }
}
