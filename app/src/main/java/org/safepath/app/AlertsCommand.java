package org.safepath.app;

import java.util.List;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.dashboards.AlertAcknowledgements;

/**
 * {@code safepath alerts list [--open] [--audience A] [--size 50]} and {@code safepath alerts ack ID --by NAME
 * [--note TEXT]}: the alerts for people without the dashboard, and their acknowledgement.
 */
final class AlertsCommand {

    private AlertsCommand() {
    }

    static int run(List<String> args) throws Exception {
        if (args.isEmpty() || !(args.get(0).equals("list") || args.get(0).equals("ack"))) {
            throw new Options.UsageException("alerts needs 'list' or 'ack ID'");
        }
        boolean ack = args.get(0).equals("ack");
        List<String> rest = args.subList(ack ? 2 : 1, args.size());
        if (ack && args.size() < 2) {
            throw new Options.UsageException("alerts ack needs the alert's id");
        }
        Options o = new Options(rest, Set.of("elasticsearch", "audience", "size", "by", "note"), Set.of("open"));
        String es = o.get("elasticsearch", "SAFEPATH_ES_URL", null);
        if (es == null) {
            throw new Options.UsageException("alerts needs --elasticsearch URL (or SAFEPATH_ES_URL)");
        }
        try (RestClientTransport transport = ElasticsearchClients.transport(ElasticsearchSettings.fromEnvironment(es))) {
            AlertAcknowledgements acks = new AlertAcknowledgements(ElasticsearchClients.blocking(transport));
            if (ack) {
                String id = args.get(1);
                AlertAcknowledgements.Ack a = acks.acknowledge(id, o.get("by", null, null), o.get("note", null, null));
                System.out.println("Alert " + id + " acknowledged by " + a.by() + " at " + a.at() + ".");
                return 0;
            }
            List<AlertAcknowledgements.Listed> listed = acks.list(o.get("audience", null, null), o.flag("open"),
                    Integer.parseInt(o.get("size", null, "50")));
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
                System.out.println(o.flag("open") ? "No open alerts." : "No alerts.");
            }
            return 0;
        }
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
