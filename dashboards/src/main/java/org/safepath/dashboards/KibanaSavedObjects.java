package org.safepath.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * The dashboard's views for Kibana, as saved objects (NDJSON for the saved objects import API): a data view per
 * SafePath index, a Lens visualisation per indicator and per domain trend, and a dashboard per view. Made from
 * the indicator catalogue, as the live dashboard is, so titles, units and roll-up rows are the catalogue's.
 * {@code dashboards/kibana/safepath.ndjson} is this output; a test keeps the two equal and checks the bundle.
 */
public final class KibanaSavedObjects {

    /** The committed bundle, relative to the project's root. */
    public static final String BUNDLE = "dashboards/kibana/safepath.ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "safepath-current";
    private static final String HISTORY = "safepath-history";
    private static final String ALERTS = "safepath-alerts";
    private static final String DEAD_LETTERS = "safepath-dead-letters";

    private final IndicatorCatalogue catalogue;
    private final List<ObjectNode> objects = new ArrayList<>();

    private KibanaSavedObjects(IndicatorCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The bundle as NDJSON lines, in import order (data views, then visualisations, then dashboards). */
    public static String ndjson(IndicatorCatalogue catalogue) {
        KibanaSavedObjects k = new KibanaSavedObjects(catalogue);
        k.build();
        return k.objects.stream().map(o -> {
            try {
                return JSON.writeValueAsString(o);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining("\n", "", "\n"));
    }

    /** Writes the bundle to {@code root}/{@link #BUNDLE}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".").resolve(BUNDLE);
        Files.createDirectories(out.getParent());
        Files.writeString(out, ndjson(IndicatorCatalogue.defaults()));
        System.out.println("Wrote " + out);
    }

    private void build() {
        // No time field: the current index holds each row's latest value, whatever Kibana's time picker says.
        dataView(CURRENT, SafePathIndices.CURRENT, "SafePath: current values", null);
        dataView(HISTORY, SafePathIndices.HISTORY_PREFIX + "*", "SafePath: hourly history", "hour");
        dataView(ALERTS, SafePathIndices.ALERTS, "SafePath: alerts", "raised_at");
        dataView(DEAD_LETTERS, SafePathIndices.DEAD_LETTERS, "SafePath: dead letters", "dead_lettered_at");

        List<String> overview = new ArrayList<>();
        overview.add(lens("safepath-overview-rag", "Rows by status, every indicator", CURRENT, "lnsDatatable", "",
                List.of(terms("indicator", "Indicator", 60, "n"), terms("rag", "Status", 3, "n")), count("n", "Rows")));
        overview.add(lens("safepath-overview-dead-letters", "Dead letters by reason and stream", DEAD_LETTERS, "lnsDatatable", "",
                List.of(terms("reason", "Reason", 20, "n"), terms("source_topic", "Stream", 20, "n")), count("n", "Records")));
        overview.add(lens("safepath-overview-alerts", "Alerts raised, by severity", ALERTS, "lnsXY", "",
                List.of(dateHistogram("raised_at", "Raised"), terms("severity", "Severity", 5, "n")), count("n", "Alerts")));
        dashboard("safepath-overview", "SafePath: Overview", "Every indicator's rows by status, the alerts raised and the dead letters.", overview);

        for (Map.Entry<String, String> view : catalogue.domains().entrySet()) {
            List<IndicatorDefinition> indicators = catalogue.domain(view.getKey());
            if (indicators.isEmpty()) {
                continue;
            }
            String rollUp = rollUpQuery(view.getKey());
            List<String> panels = new ArrayList<>();
            List<String> additive = new ArrayList<>();
            for (IndicatorDefinition d : indicators) {
                String by = mainDimension(d);
                String query = "indicator : \"" + d.id() + "\"" + (d.additive() ? rollUp : "");
                ObjectNode value = d.additive() ? metric("sum", "value", "v", d.title() + " (" + d.unit() + ")")
                        : metric("max", "value", "v", "Highest: " + d.title() + " (" + d.unit() + ")");
                String id = "safepath-" + d.id().replace('.', '-').replace('_', '-');
                panels.add(by == null
                        ? lens(id, d.title(), CURRENT, "lnsMetric", query, List.of(), value)
                        : lens(id, d.title() + " by " + by.replace('_', ' '), CURRENT, "lnsXY", query,
                                List.of(terms("dimensions." + by, by.replace('_', ' '), 30, "v")), value));
                if (d.additive()) {
                    additive.add(d.id());
                }
            }
            if (!additive.isEmpty()) {
                String query = "indicator : (" + additive.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(" or ")) + ")" + rollUp;
                panels.add(0, lens("safepath-" + view.getKey() + "-trend", view.getValue() + ": hourly trend", HISTORY, "lnsXY", query,
                        List.of(dateHistogram("hour", "Hour"), terms("indicator", "Indicator", additive.size(), "v")),
                        metric("sum", "value", "v", "Total")));
            }
            dashboard("safepath-" + view.getKey(), "SafePath: " + view.getValue(),
                    "The indicators of " + view.getValue().toLowerCase(java.util.Locale.ROOT)
                            + ": current values by their main dimension (totals at the roll-up rows) and the hourly trend.", panels);
        }

        List<String> alerts = new ArrayList<>();
        alerts.add(lens("safepath-alerts-by-rule", "Alerts by rule, severity and audience", ALERTS, "lnsDatatable", "",
                List.of(terms("rule", "Rule", 30, "n"), terms("severity", "Severity", 5, "n"), terms("audience", "Audience", 10, "n")),
                count("n", "Alerts")));
        alerts.add(lens("safepath-alerts-by-subject", "Alerts by subject", ALERTS, "lnsXY", "",
                List.of(terms("subject_name", "Subject", 20, "n")), count("n", "Alerts")));
        dashboard("safepath-alerts", "SafePath: Alerts", "The alerts raised, by rule, severity, audience and subject.", alerts);
    }

    /** The dimension a domain's bar chart is by: the first that is neither the council nor a roll-up dimension. */
    private String mainDimension(IndicatorDefinition d) {
        Map<String, String> rollUps = catalogue.rollUps(d.domain());
        return d.dimensions().stream().filter(n -> !n.equals("local_authority") && !rollUps.containsKey(n)).findFirst().orElse(null);
    }

    /** KQL keeping a domain's roll-up rows only (discharge: pathway ALL), so a sum counts no one twice. */
    private String rollUpQuery(String domain) {
        StringBuilder q = new StringBuilder();
        catalogue.rollUps(domain).forEach((name, value) -> q.append(" and dimensions.").append(name).append(" : \"").append(value).append('"'));
        return q.toString();
    }

    private void dataView(String id, String pattern, String name, String timeField) {
        ObjectNode o = object("index-pattern", id, "8.0.0");
        ObjectNode a = ((ObjectNode) o.get("attributes")).put("title", pattern).put("name", name);
        if (timeField != null) {
            a.put("timeFieldName", timeField);
        }
        o.putArray("references");
        objects.add(o);
    }

    /**
     * A Lens visualisation of one layer on {@code dataView}: bucket columns then one metric column, filtered by the
     * KQL {@code query}.
     */
    private String lens(String id, String title, String dataView, String type, String query, List<ObjectNode> buckets, ObjectNode metric) {
        ObjectNode o = object("lens", id, "8.9.0");
        ObjectNode a = ((ObjectNode) o.get("attributes"));
        a.put("title", title).put("description", "").put("visualizationType", type);
        ObjectNode state = a.putObject("state");
        ObjectNode layer = state.putObject("datasourceStates").putObject("formBased").putObject("layers").putObject("layer1");
        ObjectNode columns = layer.putObject("columns");
        ArrayNode order = layer.putArray("columnOrder");
        List<String> bucketIds = new ArrayList<>();
        for (ObjectNode b : buckets) {
            String col = "b" + bucketIds.size();
            bucketIds.add(col);
            columns.set(col, b);
            order.add(col);
        }
        String metricId = metric.remove("id").asText();
        columns.set(metricId, metric);
        order.add(metricId);
        layer.putObject("incompleteColumns");
        // Terms buckets are ordered by the metric column: point each at its id.
        buckets.forEach(b -> {
            if (b.has("params") && b.get("params").has("orderBy") && b.get("params").get("orderBy").has("columnId")) {
                ((ObjectNode) b.get("params").get("orderBy")).put("columnId", metricId);
            }
        });
        state.putObject("query").put("language", "kuery").put("query", query);
        state.putArray("filters");
        boolean overTime = !buckets.isEmpty() && buckets.get(0).get("operationType").asText().equals("date_histogram");
        state.set("visualization", visualization(type, bucketIds, metricId, overTime));
        ArrayNode refs = o.putArray("references");
        refs.addObject().put("type", "index-pattern").put("id", dataView).put("name", "indexpattern-datasource-layer-layer1");
        objects.add(o);
        return id;
    }

    private static ObjectNode visualization(String type, List<String> buckets, String metric, boolean overTime) {
        ObjectNode v = JSON.createObjectNode();
        switch (type) {
            case "lnsMetric" -> v.put("layerId", "layer1").put("layerType", "data").put("metricAccessor", metric);
            case "lnsDatatable" -> {
                v.put("layerId", "layer1").put("layerType", "data");
                ArrayNode cols = v.putArray("columns");
                buckets.forEach(b -> cols.addObject().put("columnId", b));
                cols.addObject().put("columnId", metric);
            }
            default -> {
                String series = overTime ? "line" : "bar_horizontal";
                v.put("preferredSeriesType", series);
                v.putObject("legend").put("isVisible", true).put("position", "right");
                ObjectNode layer = v.putArray("layers").addObject();
                layer.put("layerId", "layer1").put("layerType", "data").put("seriesType", series);
                layer.putArray("accessors").add(metric);
                if (!buckets.isEmpty()) {
                    layer.put("xAccessor", buckets.get(0));
                }
                if (buckets.size() > 1) {
                    layer.put("splitAccessor", buckets.get(1));
                }
            }
        }
        return v;
    }

    private void dashboard(String id, String title, String description, List<String> lensIds) {
        ObjectNode o = object("dashboard", id, "8.9.0");
        ObjectNode a = ((ObjectNode) o.get("attributes"));
        // The trends and alerts over the last 30 days unless the user picks another range.
        a.put("title", title).put("description", description).put("timeRestore", true).put("timeFrom", "now-30d").put("timeTo", "now");
        ArrayNode panels = JSON.createArrayNode();
        ArrayNode refs = o.putArray("references");
        for (int i = 0; i < lensIds.size(); i++) {
            String index = "p" + (i + 1);
            ObjectNode p = panels.addObject();
            p.put("type", "lens").put("panelIndex", index).put("panelRefName", "panel_" + index);
            p.putObject("gridData").put("x", (i % 2) * 24).put("y", (i / 2) * 15).put("w", 24).put("h", 15).put("i", index);
            p.putObject("embeddableConfig").putObject("enhancements");
            refs.addObject().put("name", index + ":panel_" + index).put("type", "lens").put("id", lensIds.get(i));
        }
        a.put("panelsJSON", panels.toString());
        a.put("optionsJSON", "{\"useMargins\":true,\"syncColors\":false,\"hidePanelTitles\":false}");
        a.putObject("kibanaSavedObjectMeta").put("searchSourceJSON", "{\"query\":{\"query\":\"\",\"language\":\"kuery\"},\"filter\":[]}");
        a.putObject("refreshInterval").put("pause", false).put("value", 10_000);
        objects.add(o);
    }

    private static ObjectNode object(String type, String id, String typeMigrationVersion) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type).put("id", id).put("coreMigrationVersion", "8.8.0").put("typeMigrationVersion", typeMigrationVersion)
                .put("managed", false);
        o.putObject("attributes");
        return o;
    }

    private static ObjectNode terms(String field, String label, int size, String orderBy) {
        ObjectNode c = column(label, "string", "terms", field, true);
        ObjectNode params = c.putObject("params").put("size", size).put("orderDirection", "desc");
        params.putObject("orderBy").put("type", "column").put("columnId", orderBy);
        return c;
    }

    private static ObjectNode dateHistogram(String field, String label) {
        ObjectNode c = column(label, "date", "date_histogram", field, true);
        c.putObject("params").put("interval", "auto");
        return c;
    }

    private static ObjectNode metric(String operation, String field, String id, String label) {
        ObjectNode c = column(label, "number", operation, field, false);
        c.put("id", id);
        return c;
    }

    private static ObjectNode count(String id, String label) {
        ObjectNode c = column(label, "number", "count", "___records___", false);
        c.put("id", id);
        return c;
    }

    private static ObjectNode column(String label, String dataType, String operation, String field, boolean bucketed) {
        ObjectNode c = JSON.createObjectNode();
        c.put("label", label).put("customLabel", true).put("dataType", dataType).put("operationType", operation)
                .put("sourceField", field).put("isBucketed", bucketed);
        return c;
    }
}
