package org.safepath.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * The Kibana bundle checked offline, as Kibana's import would read it: every line parses, every reference resolves
 * within the bundle, and every field a visualisation or its query uses exists in SafePath's index templates with a
 * type its operation can aggregate.
 */
class KibanaSavedObjectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("safepath.root", ".."));
    private static final Set<String> NUMERIC = Set.of("long", "integer", "short", "double", "float", "scaled_float");
    private static final Set<String> AGGREGATABLE = Set.of("keyword", "boolean", "date", "long", "integer", "short", "double", "float");

    private static final List<JsonNode> objects = new ArrayList<>();
    private static final Map<String, JsonNode> byTypeAndId = new HashMap<>();

    @BeforeAll
    static void readTheBundle() throws Exception {
        Path bundle = ROOT.resolve(KibanaSavedObjects.BUNDLE);
        if (Boolean.getBoolean("kibana.write")) {
            Files.createDirectories(bundle.getParent());
            Files.writeString(bundle, KibanaSavedObjects.ndjson(IndicatorCatalogue.defaults()));
        }
        List<String> lines = Files.readAllLines(bundle);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode o = JSON.readTree(lines.get(i));
            assertThat(o.isObject()).as("line %d is a JSON object", i + 1).isTrue();
            assertThat(o.path("type").asText()).as("line %d's type", i + 1).isIn("index-pattern", "lens", "dashboard");
            assertThat(o.path("attributes").path("title").asText()).as("line %d's title", i + 1).isNotBlank();
            assertThat(byTypeAndId.put(o.get("type").asText() + "/" + o.get("id").asText(), o)).as("line %d's id is unique", i + 1).isNull();
            objects.add(o);
        }
    }

    @Test
    void theCommittedBundleIsTheOneTheCatalogueGives() throws Exception {
        String expected = KibanaSavedObjects.ndjson(IndicatorCatalogue.defaults());
        Path bundle = ROOT.resolve(KibanaSavedObjects.BUNDLE);
        assertThat(Files.readString(bundle)).as("%s is out of date with the catalogue; regenerate it with "
                + "mvn -pl dashboards test -Dtest=KibanaSavedObjectsTest -Dkibana.write=true", KibanaSavedObjects.BUNDLE).isEqualTo(expected);
    }

    @Test
    void thereIsADashboardForEveryViewOfTheLiveDashboard() {
        Set<String> titles = new HashSet<>();
        objects.stream().filter(o -> o.get("type").asText().equals("dashboard")).forEach(o -> titles.add(o.get("attributes").get("title").asText()));
        assertThat(titles).contains("SafePath: Overview", "SafePath: Hospital discharge", "SafePath: Safeguarding", "SafePath: Market oversight",
                "SafePath: Waiting lists", "SafePath: Brokerage", "SafePath: Transitions", "SafePath: Alerts");
    }

    @Test
    void everyReferenceResolvesWithinTheBundle() throws Exception {
        for (JsonNode o : objects) {
            for (JsonNode ref : o.get("references")) {
                assertThat(byTypeAndId).as("%s %s refers to %s %s", o.get("type"), o.get("id"), ref.get("type"), ref.get("id"))
                        .containsKey(ref.get("type").asText() + "/" + ref.get("id").asText());
            }
            if (o.get("type").asText().equals("dashboard")) {
                JsonNode panels = JSON.readTree(o.get("attributes").get("panelsJSON").asText());
                assertThat(panels.size()).as("%s has panels", o.get("id")).isPositive();
                for (JsonNode p : panels) {
                    String name = p.get("panelIndex").asText() + ":" + p.get("panelRefName").asText();
                    assertThat(o.get("references").findValuesAsText("name")).as("%s panel %s", o.get("id"), name).contains(name);
                }
                JSON.readTree(o.get("attributes").get("kibanaSavedObjectMeta").get("searchSourceJSON").asText());
            }
        }
    }

    @Test
    void everyFieldUsedExistsInTheIndexTemplatesWithATypeItsOperationCanAggregate() {
        Map<String, JsonNode> mappings = templateMappings();
        Pattern kqlField = Pattern.compile("([a-z_][a-z0-9_.]*) :");
        Pattern indicatorId = Pattern.compile("\"([a-z_]+\\.[a-z0-9_.]+)\"");
        int checked = 0;
        for (JsonNode o : objects) {
            if (o.get("type").asText().equals("index-pattern")) {
                JsonNode mapping = mappings.get(o.get("attributes").get("title").asText());
                assertThat(mapping).as("data view %s matches a SafePath index template", o.get("id")).isNotNull();
                if (o.get("attributes").has("timeFieldName")) {
                    assertThat(fieldType(mapping, o.get("attributes").get("timeFieldName").asText())).as("%s time field", o.get("id")).isEqualTo("date");
                }
                continue;
            }
            if (!o.get("type").asText().equals("lens")) {
                continue;
            }
            JsonNode state = o.get("attributes").get("state");
            JsonNode layers = state.get("datasourceStates").get("formBased").get("layers");
            for (var layer : (Iterable<Map.Entry<String, JsonNode>>) layers::fields) {
                JsonNode ref = null;
                for (JsonNode r : o.get("references")) {
                    if (r.get("name").asText().equals("indexpattern-datasource-layer-" + layer.getKey())) {
                        ref = r;
                    }
                }
                assertThat(ref).as("%s layer %s has its data view", o.get("id"), layer.getKey()).isNotNull();
                JsonNode mapping = mappings.get(byTypeAndId.get("index-pattern/" + ref.get("id").asText()).get("attributes").get("title").asText());
                Set<String> columnIds = new HashSet<>();
                for (var column : (Iterable<Map.Entry<String, JsonNode>>) layer.getValue().get("columns")::fields) {
                    columnIds.add(column.getKey());
                    String op = column.getValue().get("operationType").asText();
                    String field = column.getValue().get("sourceField").asText();
                    if (op.equals("count")) {
                        continue;
                    }
                    String type = fieldType(mapping, field);
                    assertThat(type).as("%s: %s of %s", o.get("id"), op, field).isNotNull();
                    switch (op) {
                        case "terms" -> assertThat(AGGREGATABLE).as("%s: terms of %s (%s)", o.get("id"), field, type).contains(type);
                        case "date_histogram" -> assertThat(type).as("%s: date histogram of %s", o.get("id"), field).isEqualTo("date");
                        case "sum", "max", "min", "average", "median" -> assertThat(NUMERIC).as("%s: %s of %s (%s)", o.get("id"), op, field, type).contains(type);
                        default -> throw new AssertionError(o.get("id") + ": an operation this check does not know: " + op);
                    }
                    checked++;
                }
                layer.getValue().get("columnOrder").forEach(c -> assertThat(columnIds).as("%s column order", o.get("id")).contains(c.asText()));
                String query = state.get("query").get("query").asText();
                Matcher m = kqlField.matcher(query);
                while (m.find()) {
                    assertThat(fieldType(mapping, m.group(1))).as("%s: the query's field %s", o.get("id"), m.group(1)).isIn("keyword", "boolean");
                }
                Matcher ids = indicatorId.matcher(query);
                while (ids.find()) {
                    assertThat(IndicatorCatalogue.defaults().find(ids.group(1))).as("%s: the query's indicator %s", o.get("id"), ids.group(1)).isNotNull();
                }
                state.get("visualization").findValues("accessors").forEach(a -> a.forEach(c -> assertThat(columnIds).contains(c.asText())));
                for (String key : List.of("xAccessor", "splitAccessor", "metricAccessor")) {
                    state.get("visualization").findValuesAsText(key).forEach(c -> assertThat(columnIds).as("%s %s", o.get("id"), key).contains(c));
                }
            }
        }
        assertThat(checked).as("fields checked").isGreaterThan(40);
    }

    /** The mappings of SafePath's index templates, by each index pattern they apply to. */
    private static Map<String, JsonNode> templateMappings() {
        Map<String, JsonNode> byPattern = new HashMap<>();
        SafePathIndices.templates(IndicatorCatalogue.defaults()).values().forEach(t -> t.get("index_patterns")
                .forEach(p -> byPattern.put(p.asText(), t.get("template").get("mappings"))));
        return byPattern;
    }

    /** The mapped type of a dotted field path, or null where the templates do not map it. */
    private static String fieldType(JsonNode mapping, String path) {
        JsonNode node = mapping;
        for (String part : path.split("\\.")) {
            node = node.path("properties").path(part);
            if (node.isMissingNode()) {
                return null;
            }
        }
        return node.path("type").asText(null);
    }
}
