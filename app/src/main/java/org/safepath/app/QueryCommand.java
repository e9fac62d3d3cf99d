package org.safepath.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.dashboards.DashboardApi;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * {@code safepath query --indicator ID [--by DIMENSION] [--from --to] [--interval 1d] [--local-authority CODE]
 * [--where DIMENSION=VALUE] [--format table|csv|json] [--board-view]}: an indicator's current values, or (with
 * {@code --from}) its history, as the dashboard's API answers them, so the numbers are the page's numbers.
 */
final class QueryCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryCommand() {
    }

    static int run(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("elasticsearch", "indicator", "by", "from", "to", "interval", "local-authority", "where", "format"),
                Set.of("board-view"));
        String es = o.get("elasticsearch", "SAFEPATH_ES_URL", null);
        if (es == null) {
            throw new Options.UsageException("query needs --elasticsearch URL (or SAFEPATH_ES_URL)");
        }
        String indicator = o.get("indicator", null, null);
        if (indicator == null) {
            throw new Options.UsageException("query needs --indicator ID, one of the catalogue's (safepath help lists where)");
        }
        if (IndicatorCatalogue.defaults().find(indicator) == null) {
            throw new Options.UsageException("--indicator: no indicator '" + indicator + "' in the catalogue");
        }
        String format = o.get("format", null, "table");
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new Options.UsageException("--format takes table, csv or json, not '" + format + "'");
        }
        Map<String, String> question = new LinkedHashMap<>();
        question.put("indicator", indicator);
        question.put("indicators", indicator);
        for (String name : List.of("by", "from", "to", "interval")) {
            if (o.get(name, null, null) != null) {
                question.put(name, o.get(name, null, null));
            }
        }
        if (o.get("local-authority", null, null) != null) {
            question.put("local_authority", o.get("local-authority", null, null));
        }
        String where = o.get("where", null, null);
        if (where != null) {
            int eq = where.indexOf('=');
            if (eq < 1) {
                throw new Options.UsageException("--where takes DIMENSION=VALUE, not '" + where + "'");
            }
            question.put(where.substring(0, eq), where.substring(eq + 1));
        }
        if (o.flag("board-view")) {
            question.put("board", "1");
        }
        if (format.equals("csv")) {
            question.put("format", "csv");
        }
        boolean history = question.containsKey("from");
        try (RestClientTransport transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(es))) {
            DashboardApi api = new DashboardApi(ElasticsearchClients.blocking(transport), IndicatorCatalogue.defaults());
            Object answer;
            try {
                answer = history ? api.history(question) : api.current(question);
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                throw new Options.UsageException(e.getMessage());
            }
            if (answer instanceof DashboardApi.Csv csv) {
                System.out.print(csv.text());
            } else if (format.equals("json")) {
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
