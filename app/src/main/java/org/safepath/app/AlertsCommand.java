package org.safepath.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.dashboards.AlertAcknowledgements;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code safepath alerts list [--open] [--audience A] [--size 50]} and {@code safepath alerts ack ID --by NAME
 * [--note TEXT]}: the alerts for people without the dashboard, and their acknowledgement.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "The alerts raised, and their acknowledgement.",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Ack.class})
final class AlertsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The alerts, newest first, with who acknowledged them.")
    static final class ListAlerts implements Callable<Integer> {
        @Mixin
        ElasticsearchOption es;
        @Option(names = "--open", description = "Only alerts no one has acknowledged.")
        boolean open;
        @Option(names = "--audience", description = "Only alerts for this audience, e.g. market_oversight or link_worker.")
        String audience;
        @Option(names = "--size", defaultValue = "50", description = "At most this many. Default: ${DEFAULT-VALUE}.")
        int size;

        @Override
        public Integer call() throws Exception {
            try (RestClientTransport transport = es.transport()) {
                List<AlertAcknowledgements.Listed> listed = new AlertAcknowledgements(ElasticsearchClients.blocking(transport))
                        .list(audience, open, size);
                System.out.printf("%-20s %-8s %-46s %-34s %-22s %s%n", "raised", "severity", "rule", "subject", "to", "acknowledged");
                for (AlertAcknowledgements.Listed l : listed) {
                    Map<String, Object> a = l.alert();
                    String subject = String.valueOf(a.getOrDefault("subject_name", a.get("subject_id")));
                    String to = a.get("audience") + (a.get("recipient") != null ? " " + a.get("recipient") : "");
                    String acked = l.ack() == null ? "open" : l.ack().by() + " " + l.ack().at();
                    System.out.printf("%-20s %-8s %-46s %-34s %-22s %s  [%s]%n", String.valueOf(a.get("raised_at")).replace("T", " ").substring(0, 16),
                            a.get("severity"), a.get("rule"), truncate(subject, 34), truncate(to, 22), acked, a.get("alert_id"));
                }
                if (listed.isEmpty()) {
                    System.out.println(open ? "No open alerts." : "No alerts.");
                }
                return 0;
            }
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge an alert, as the dashboard's button does.")
    static final class Ack implements Callable<Integer> {
        @Mixin
        ElasticsearchOption es;
        @Parameters(paramLabel = "ID", description = "The alert's id (the last column of alerts list).")
        String id;
        @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who acknowledges it.")
        String by;
        @Option(names = "--note", paramLabel = "TEXT", description = "What was done.")
        String note;

        @Override
        public Integer call() throws Exception {
            try (RestClientTransport transport = es.transport()) {
                AlertAcknowledgements.Ack a = new AlertAcknowledgements(ElasticsearchClients.blocking(transport)).acknowledge(id, by, note);
                System.out.println("Alert " + id + " acknowledged by " + a.by() + " at " + a.at() + ".");
                return 0;
            }
        }
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
