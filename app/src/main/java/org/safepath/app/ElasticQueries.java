package org.safepath.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.dashboards.DashboardQueries;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * The command line's own read-only questions to Elasticsearch (the demo's progress and summary, the latency probe),
 * asked through the Elasticsearch Java client with SafePath's settings, as every other query is. Each answers empty
 * (a count -1) when Elasticsearch does not answer, or has no such index yet: the caller says so, or asks again.
 */
final class ElasticQueries implements AutoCloseable {

    private final RestClientTransport transport;
    private final ElasticsearchClient es;
    private final DashboardQueries dashboard;

    ElasticQueries(String elasticsearch) {
        this.transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(elasticsearch));
        this.es = ElasticsearchClients.blocking(transport);
        this.dashboard = new DashboardQueries(es, IndicatorCatalogue.defaults());
    }

    /** How many current values match, or -1. */
    long countCurrent(Query query) {
        return ask(() -> es.count(c -> c.index(SafePathIndices.CURRENT).ignoreUnavailable(true).allowNoIndices(true).query(query)).count())
                .orElse(-1L);
    }

    /** The first alert raised, as stored. */
    @SuppressWarnings("rawtypes")
    Optional<Map> firstAlert() {
        return ask(() -> {
            SearchResponse<Map> r = es.search(s -> s.index(SafePathIndices.ALERTS).ignoreUnavailable(true).allowNoIndices(true).size(1)
                    .sort(o -> o.field(f -> f.field("raised_at").order(SortOrder.Asc))), Map.class);
            return r.hits().hits().isEmpty() ? null : r.hits().hits().get(0).source();
        });
    }

    /** Records not applied, by stream and reason: the dashboard's own count. */
    Optional<Map<String, Map<String, Long>>> deadLetters() {
        return ask(dashboard::deadLetters);
    }

    /** Alerts raised, by rule and audience. */
    Optional<Map<String, Map<String, Long>>> alertsByRuleAndAudience() {
        return ask(() -> {
            SearchResponse<Void> r = es.search(s -> s.index(SafePathIndices.ALERTS).ignoreUnavailable(true).allowNoIndices(true).size(0)
                    .aggregations("rules", a -> a.terms(t -> t.field("rule").size(100))
                            .aggregations("to", to -> to.terms(t -> t.field("audience").size(20)))), Void.class);
            Map<String, Map<String, Long>> out = new TreeMap<>();
            if (r.aggregations().containsKey("rules")) {
                for (var rule : r.aggregations().get("rules").sterms().buckets().array()) {
                    for (var to : rule.aggregations().get("to").sterms().buckets().array()) {
                        out.computeIfAbsent(rule.key().stringValue(), k -> new TreeMap<>()).put(to.key().stringValue(), to.docCount());
                    }
                }
            }
            return out;
        });
    }

    /** Current values of a domain, narrowed by dimension values: the dashboard's own read. */
    Optional<List<Map<String, Object>>> current(String domain, Map<String, String> dimensions) {
        return ask(() -> dashboard.current(domain, dimensions));
    }

    /** Every indicator's total now, at its domain's roll-up level: the dashboard overview's own totals. */
    Optional<Map<String, DashboardQueries.Total>> totals() {
        return ask(() -> dashboard.totalsNow(Map.of()));
    }

    @Override
    public void close() throws Exception {
        transport.close();
    }

    private interface Question<T> {
        T ask() throws Exception;
    }

    private static <T> Optional<T> ask(Question<T> question) {
        try {
            return Optional.ofNullable(question.ask());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
