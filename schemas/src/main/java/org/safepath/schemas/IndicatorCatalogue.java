package org.safepath.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The indicator catalogue (INDICATORS.md as data): read by the jobs, the index templates, the dashboard and
 * the docs, so a definition is written once. A council overrides parameters and RAG thresholds in its
 * configuration with keys such as {@code discharge.nctr_delay_21_plus.red=8}; a parameter for one council of
 * several on a cluster with its ONS code after it ({@code waiting.over_threshold.high_days.E06000054=5}).
 */
public final class IndicatorCatalogue implements Serializable {

    private static final String RESOURCE = "/catalogue/indicators.json";
    private static final java.util.regex.Pattern ONS_CODE = java.util.regex.Pattern.compile("[ENSW]\\d{8}");

    private final Map<String, IndicatorDefinition> byId;
    private final Map<String, Map<String, String>> rollUps;
    private final Map<String, String> domains;

    private IndicatorCatalogue(Map<String, IndicatorDefinition> byId, Map<String, Map<String, String>> rollUps, Map<String, String> domains) {
        this.byId = byId;
        this.rollUps = rollUps;
        this.domains = domains;
    }

    public static IndicatorCatalogue defaults() {
        return withOverrides(Map.of());
    }

    /** The catalogue with a council's overrides applied: {@code <id>.amber}, {@code <id>.red}, {@code <id>.<parameter>}. */
    public static IndicatorCatalogue withOverrides(Map<String, String> overrides) {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = IndicatorCatalogue.class.getResourceAsStream(RESOURCE)) {
            JsonNode root = json.readTree(in);
            Map<String, IndicatorDefinition> byId = new LinkedHashMap<>();
            for (JsonNode node : root.get("indicators")) {
                IndicatorDefinition d = json.treeToValue(node, IndicatorDefinition.class);
                byId.put(d.id(), applyOverrides(d, overrides));
            }
            for (String key : overrides.keySet()) {
                if (byId.keySet().stream().noneMatch(id -> key.startsWith(id + "."))) {
                    throw new IllegalArgumentException("Configuration names an unknown indicator: '" + key + "'");
                }
            }
            Map<String, Map<String, String>> rollUps = new LinkedHashMap<>();
            if (root.has("roll_ups")) {
                root.get("roll_ups").fields().forEachRemaining(domain -> {
                    Map<String, String> dims = new LinkedHashMap<>();
                    domain.getValue().fields().forEachRemaining(dim -> dims.put(dim.getKey(), dim.getValue().asText()));
                    rollUps.put(domain.getKey(), Collections.unmodifiableMap(dims));
                });
            }
            Map<String, String> domains = new LinkedHashMap<>();
            root.get("domains").fields().forEachRemaining(domain -> domains.put(domain.getKey(), domain.getValue().asText()));
            for (IndicatorDefinition d : byId.values()) {
                if (!domains.containsKey(d.domain())) {
                    throw new IllegalStateException("The indicator catalogue gives no title for the domain of " + d.id() + ": " + d.domain());
                }
            }
            return new IndicatorCatalogue(Collections.unmodifiableMap(byId), Collections.unmodifiableMap(rollUps),
                    Collections.unmodifiableMap(domains));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the indicator catalogue " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static IndicatorDefinition applyOverrides(IndicatorDefinition d, Map<String, String> overrides) {
        Map<String, Double> parameters = new LinkedHashMap<>(d.parameters() == null ? Map.of() : d.parameters());
        Double amber = d.amber();
        Double red = d.red();
        Map<String, Map<String, Double>> councils = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (!o.getKey().startsWith(d.id() + ".")) {
                continue;
            }
            String name = o.getKey().substring(d.id().length() + 1);
            double value = Double.parseDouble(o.getValue());
            int dot = name.indexOf('.');
            if (dot > 0) {
                // <id>.<parameter>.<ONS code>: one council's own value
                String parameter = name.substring(0, dot);
                String council = name.substring(dot + 1);
                if (!parameters.containsKey(parameter) || !ONS_CODE.matcher(council).matches()) {
                    throw new IllegalArgumentException("'" + o.getKey() + "' is not <indicator>.<parameter>.<ONS code of a council>: "
                            + d.id() + " has parameters " + parameters.keySet() + ", and a council is named like E06000054");
                }
                councils.computeIfAbsent(council, c -> new LinkedHashMap<>()).put(parameter, value);
                continue;
            }
            switch (name) {
                case "amber" -> amber = value;
                case "red" -> red = value;
                default -> {
                    if (!parameters.containsKey(name)) {
                        throw new IllegalArgumentException("Indicator " + d.id() + " has no parameter '" + name
                                + "'; it has " + parameters.keySet());
                    }
                    parameters.put(name, value);
                }
            }
        }
        return new IndicatorDefinition(d.id(), d.domain(), d.title(), d.description(), d.unit(), d.dimensions(), d.attributes(),
                Collections.unmodifiableMap(parameters), amber, red, d.peopleCount(), Collections.unmodifiableMap(councils));
    }

    public IndicatorDefinition get(String id) {
        IndicatorDefinition d = byId.get(id);
        if (d == null) {
            throw new IllegalArgumentException("No indicator '" + id + "' in the catalogue");
        }
        return d;
    }

    /** The indicator with this id, or null (an alert rule that is not an indicator). */
    public IndicatorDefinition find(String id) {
        return byId.get(id);
    }

    public List<IndicatorDefinition> all() {
        return new ArrayList<>(byId.values());
    }

    /**
     * A domain's roll-ups: each of its facts also counts under the key with these dimensions set to these values
     * (discharge: pathway → ALL, a site's all-pathways row).
     */
    public Map<String, String> rollUps(String domain) {
        return rollUps.getOrDefault(domain, Map.of());
    }

    /** Each domain's title, as its dashboard view and Kibana dashboard are called, in the order they are shown. */
    public Map<String, String> domains() {
        return domains;
    }

    public List<IndicatorDefinition> domain(String domain) {
        return byId.values().stream().filter(d -> d.domain().equals(domain)).toList();
    }

    /** Every dimension name any indicator uses: the keyword fields of the index templates. */
    public List<String> dimensionNames() {
        return byId.values().stream().flatMap(d -> d.dimensions().stream()).distinct().sorted().toList();
    }
}
