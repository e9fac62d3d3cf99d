package org.safepath.connectors.elasticsearch;

import java.io.IOException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * SafePath's indices and their composable templates, generated from the indicator catalogue (the dimension
 * fields) and the output schemas, and installed idempotently at start-up. History lives in monthly indices
 * behind one alias, so old months can be dropped whole. ILM is not assumed (the test distribution has none).
 */
public final class SafePathIndices {

    public static final String CURRENT = "safepath-current";
    public static final String HISTORY_ALIAS = "safepath-history";
    public static final String HISTORY_PREFIX = "safepath-history-";
    public static final String ALERTS = "safepath-alerts";
    public static final String DEAD_LETTERS = "safepath-dead-letters";
    /** The alert dispatcher's delivery log (written by the dispatcher, read by the dashboard). */
    public static final String DELIVERIES = "safepath-deliveries";
    /** What codes are called (a care home's name beside its CQC location id), from the reference data. */
    public static final String NAMES = "safepath-names";
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafePathIndices() {
    }

    /** The monthly history index an hour belongs to (UTC month of the hour). */
    public static String historyIndex(long hourStartMillis) {
        return HISTORY_PREFIX + MONTH.format(Instant.ofEpochMilli(hourStartMillis));
    }

    /** Template name to template body, built from the catalogue. */
    public static Map<String, ObjectNode> templates(IndicatorCatalogue catalogue) {
        return templates(catalogue, null);
    }

    /**
     * As {@link #templates(IndicatorCatalogue)}, with the history indices under an ILM policy where the cluster
     * has ILM ({@code SAFEPATH_ES_ILM_POLICY}); without one, {@code safepath retention} drops old months.
     */
    public static Map<String, ObjectNode> templates(IndicatorCatalogue catalogue, String historyIlmPolicy) {
        ObjectNode indicatorMapping = indicatorMapping(catalogue, false);
        ObjectNode historyMapping = indicatorMapping(catalogue, true);
        ObjectNode history = template(List.of(HISTORY_PREFIX + "*"), historyMapping, HISTORY_ALIAS);
        if (historyIlmPolicy != null && !historyIlmPolicy.isBlank()) {
            ((ObjectNode) history.get("template").get("settings")).put("index.lifecycle.name", historyIlmPolicy);
        }
        return Map.of(
                // Live views read the current index: refreshed every 250 ms, so a new value is searchable within a second.
                "safepath-current", refreshEvery(template(List.of(CURRENT), indicatorMapping, null), "250ms"),
                "safepath-history", history,
                "safepath-alerts", template(List.of(ALERTS), alertMapping(), null),
                "safepath-dead-letters", template(List.of(DEAD_LETTERS), deadLetterMapping(), null),
                "safepath-names", template(List.of(NAMES), nameMapping(), null));
    }

    private static ObjectNode indicatorMapping(IndicatorCatalogue catalogue, boolean history) {
        ObjectNode properties = JSON.createObjectNode();
        properties.set("indicator", type("keyword"));
        properties.set("domain", type("keyword"));
        ObjectNode dimensions = JSON.createObjectNode().put("type", "object").put("dynamic", "strict");
        ObjectNode dimensionFields = dimensions.putObject("properties");
        for (String name : catalogue.dimensionNames()) {
            dimensionFields.set(name, type("keyword"));
        }
        properties.set("dimensions", dimensions);
        properties.set("value", type("double"));
        properties.set("unit", type("keyword"));
        properties.set("rag", type("keyword"));
        properties.set("people_count", type("boolean"));
        properties.set("as_of", type("date"));
        // Early values, written before the watermark passed the events behind them; the exact value replaces them.
        properties.set("provisional", type("boolean"));
        properties.set("components", JSON.createObjectNode().put("type", "object").put("dynamic", "true"));
        if (history) {
            properties.set("hour", type("date"));
        }
        return mapping(properties);
    }

    private static ObjectNode alertMapping() {
        ObjectNode p = JSON.createObjectNode();
        for (String keyword : List.of("alert_id", "rule", "severity", "subject_kind", "subject_id", "subject_name", "audience",
                "recipient", "unresolved_audience", "evidence_event_ids")) {
            p.set(keyword, type("keyword"));
        }
        p.set("raised_at", type("date"));
        p.set("evidence_counts", JSON.createObjectNode().put("type", "object").put("dynamic", "true"));
        p.set("evidence_details", type("flattened"));
        return mapping(p);
    }

    private static ObjectNode deadLetterMapping() {
        ObjectNode p = JSON.createObjectNode();
        for (String keyword : List.of("reason", "source_topic", "event_id")) {
            p.set(keyword, type("keyword"));
        }
        p.set("detail", type("text"));
        p.set("source_partition", type("integer"));
        p.set("source_offset", type("long"));
        p.set("dead_lettered_at", type("date"));
        return mapping(p);
    }

    private static ObjectNode nameMapping() {
        ObjectNode p = JSON.createObjectNode();
        for (String keyword : List.of("kind", "code", "name", "local_authority")) {
            p.set(keyword, type("keyword"));
        }
        p.set("updated_at", type("date"));
        return mapping(p);
    }

    private static ObjectNode mapping(ObjectNode properties) {
        ObjectNode m = JSON.createObjectNode().put("dynamic", "strict");
        m.set("properties", properties);
        return m;
    }

    private static ObjectNode type(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode refreshEvery(ObjectNode template, String interval) {
        ((ObjectNode) template.get("template").get("settings")).put("refresh_interval", interval);
        return template;
    }

    private static ObjectNode template(List<String> patterns, ObjectNode mappings, String alias) {
        ObjectNode t = JSON.createObjectNode();
        ArrayNode p = t.putArray("index_patterns");
        patterns.forEach(p::add);
        t.put("priority", 500);
        ObjectNode template = t.putObject("template");
        template.putObject("settings").put("number_of_shards", 1).put("number_of_replicas", 0).put("refresh_interval", "1s");
        template.set("mappings", mappings);
        if (alias != null) {
            template.putObject("aliases").putObject(alias);
        }
        t.putObject("_meta").put("managed_by", "safepath");
        return t;
    }

    /** Installs (or updates) every template and creates the fixed indices; safe to run at every start. */
    public static void install(RestClientTransport transport, IndicatorCatalogue catalogue) throws IOException {
        RestClient rest = transport.restClient();
        for (Map.Entry<String, ObjectNode> t : templates(catalogue, org.safepath.connectors.config.SafePathEnvironment.ES_ILM_POLICY.value()).entrySet()) {
            Request put = new Request("PUT", "/_index_template/" + t.getKey());
            put.setJsonEntity(t.getValue().toString());
            rest.performRequest(put);
        }
        Map<String, ObjectNode> fixed = Map.of(CURRENT, indicatorMapping(catalogue, false), ALERTS, alertMapping(),
                DEAD_LETTERS, deadLetterMapping(), NAMES, nameMapping());
        for (Map.Entry<String, ObjectNode> index : fixed.entrySet()) {
            try {
                rest.performRequest(new Request("PUT", "/" + index.getKey()));
            } catch (ResponseException e) {
                if (!EntityUtils.toString(e.getResponse().getEntity()).contains("resource_already_exists_exception")) {
                    throw e;
                }
                // An index made by an earlier version: add the fields (new dimensions, new alert fields) it lacks.
                Request mapping = new Request("PUT", "/" + index.getKey() + "/_mapping");
                mapping.setJsonEntity(index.getValue().toString());
                rest.performRequest(mapping);
            }
        }
    }

    /** Deletes monthly history indices whose whole month ended before {@code keepFrom}; returns their names. */
    public static List<String> dropHistoryBefore(RestClientTransport transport, Instant keepFrom) throws IOException {
        RestClient rest = transport.restClient();
        Response response = rest.performRequest(new Request("GET", "/_cat/indices/" + HISTORY_PREFIX + "*?format=json&h=index"));
        JsonNode indices = JSON.readTree(EntityUtils.toString(response.getEntity()));
        YearMonth firstKept = YearMonth.from(keepFrom.atZone(ZoneOffset.UTC));
        List<String> dropped = new ArrayList<>();
        for (JsonNode index : indices) {
            String name = index.get("index").asText();
            YearMonth month = YearMonth.parse(name.substring(HISTORY_PREFIX.length()), DateTimeFormatter.ofPattern("yyyy.MM"));
            if (month.isBefore(firstKept)) {
                rest.performRequest(new Request("DELETE", "/" + name));
                dropped.add(name);
            }
        }
        return dropped;
    }
}
