package org.safepath.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.dashboards.DashboardApi;
import org.safepath.schemas.IndicatorCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code safepath query --indicator ID [--by DIMENSION] [--from --to] [--interval 1d] [--local-authority CODE]
 * [--where DIMENSION=VALUE] [--format table|csv|json] [--board-view]}: an indicator's current values, or (with
 * {@code --from}) its history, as the dashboard's API answers them, so the numbers are the page's numbers.
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"An indicator's current values, or with --from its history, as the dashboard's API answers them.",
                "Example: safepath query --indicator discharge.nctr_in_bed --by hospital_site --from 2026-11-01T00:00:00Z --format csv"})
final class QueryCommand implements Callable<Integer> {

    enum Format { table, csv, json }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--indicator", required = true, paramLabel = "ID", completionCandidates = Indicators.class,
            description = "An indicator id, e.g. discharge.nctr_in_bed or waiting.over_threshold; tab completion offers every id.")
    String indicator;
    @Option(names = "--by", paramLabel = "DIMENSION", description = "Totals by this dimension (history: one series per value).")
    String by;
    @Option(names = "--from", paramLabel = "INSTANT", description = "History from this ISO-8601 instant, e.g. 2026-11-01T00:00:00Z.")
    String from;
    @Option(names = "--to", paramLabel = "INSTANT", description = "History up to this instant. Default: now.")
    String to;
    @Option(names = "--interval", paramLabel = "DURATION", description = "History's step, e.g. 1h or 1d. Default: hourly.")
    String interval;
    @Option(names = "--local-authority", paramLabel = "CODE", description = "One council's rows, by ONS code.")
    String localAuthority;
    @Option(names = "--where", paramLabel = "DIMENSION=VALUE", description = "Only rows with this value of a dimension.")
    String where;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;
    @Option(names = "--board-view", description = "Disclosure control for screens shared outside operational teams: counts 1-4 as [c], others to the nearest 5.")
    boolean boardView;
    @Mixin
    ElasticsearchOption elasticsearch;

    /** The catalogue's indicator ids, for the help and shell completion. */
    static final class Indicators implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return IndicatorCatalogue.defaults().all().stream().map(d -> d.id()).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        String es = elasticsearch.elasticsearch();
        if (IndicatorCatalogue.defaults().find(indicator) == null) {
            throw new UsageException("--indicator: no indicator '" + indicator + "' in the catalogue; its ids: "
                    + String.join(", ", new Indicators()));
        }
        Map<String, String> question = new LinkedHashMap<>();
        question.put("indicator", indicator);
        question.put("indicators", indicator);
        Map<String, String> given = new LinkedHashMap<>();
        given.put("by", by);
        given.put("from", from);
        given.put("to", to);
        given.put("interval", interval);
        given.put("local_authority", localAuthority);
        given.forEach((name, value) -> {
            if (value != null) {
                question.put(name, value);
            }
        });
        if (where != null) {
            int eq = where.indexOf('=');
            if (eq < 1) {
                throw new UsageException("--where takes DIMENSION=VALUE, not '" + where + "'");
            }
            question.put(where.substring(0, eq), where.substring(eq + 1));
        }
        if (boardView) {
            question.put("board", "1");
        }
        if (format == Format.csv) {
            question.put("format", "csv");
        }
        boolean history = question.containsKey("from");
        try (RestClientTransport transport = elasticsearch.transport()) {
            DashboardApi api = new DashboardApi(ElasticsearchClients.blocking(transport), IndicatorCatalogue.defaults());
            Object answer;
            try {
                answer = history ? api.history(question) : api.current(question);
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                throw new UsageException(e.getMessage());
            }
            if (answer instanceof DashboardApi.Csv csv) {
                System.out.print(csv.text());
            } else if (format == Format.json) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                table(JSON.valueToTree(answer).get("rows"), history ? List.of("series", "at") : IndicatorCatalogue.defaults().get(indicator).dimensions(),
                        history);
            }
        }
        return 0;
    }

    /** The rows as aligned columns: the dimensions in the catalogue's order (or series and time) and the value as this view may show it. */
    private static void table(JsonNode rows, List<String> columns, boolean history) {
        List<List<String>> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(columns);
        header.add("value");
        lines.add(header);
        for (JsonNode r : rows) {
            List<String> line = new ArrayList<>();
            for (String c : columns) {
                JsonNode v = history ? r.get(c) : r.get("dimensions").get(c);
                line.add(v == null ? "" : v.asText());
            }
            line.add(r.get("shown").asText());
            lines.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        for (List<String> l : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                b.append(i == l.size() - 1 ? String.format("%" + width[i] + "s", l.get(i)) : String.format("%-" + width[i] + "s  ", l.get(i)));
            }
            System.out.println(b.toString().stripTrailing());
        }
        if (rows.isEmpty()) {
            System.out.println("(no values)");
        }
    }
}
