package org.safepath.dashboards;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.safepath.connectors.elasticsearch.SafePathIndices;

/**
 * Who acknowledged an alert, and when: kept in an index of its own ({@value #INDEX}, one document per alert id), so
 * an acknowledgement never fights the jobs' versioned writes of the alert itself. The first acknowledgement stands;
 * a second one is told who came first. Also lists alerts with their acknowledgement, for the command line and the
 * dashboard.
 */
public final class AlertAcknowledgements {

    public static final String INDEX = "safepath-alert-acks";

    /** An acknowledgement. */
    public record Ack(String alertId, String by, Instant at, String note) {
    }

    /** An alert as listed: its document, and its acknowledgement if any. */
    public record Listed(Map<String, Object> alert, Ack ack) {
    }

    private final ElasticsearchClient es;

    public AlertAcknowledgements(ElasticsearchClient es) {
        this.es = es;
    }

    public void ensureIndex() throws IOException {
        Map<String, Property> p = new LinkedHashMap<>();
        p.put("alert_id", Property.of(x -> x.keyword(k -> k)));
        p.put("acknowledged_by", Property.of(x -> x.keyword(k -> k)));
        p.put("acknowledged_at", Property.of(x -> x.date(d -> d)));
        p.put("note", Property.of(x -> x.text(t -> t)));
        org.safepath.connectors.elasticsearch.ElasticsearchClients.ensureIndex(es, INDEX, p);
    }

    /** Records the acknowledgement, unless the alert is unknown (an error) or already acknowledged (the first stands). */
    public Ack acknowledge(String alertId, String by, String note) throws IOException {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("Say who acknowledges the alert (a name or role)");
        }
        if (!es.exists(e -> e.index(SafePathIndices.ALERTS).id(alertId)).value()) {
            throw new IllegalArgumentException("No alert with id " + alertId + " in " + SafePathIndices.ALERTS);
        }
        ensureIndex();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("alert_id", alertId);
        doc.put("acknowledged_by", by.trim());
        Instant now = Instant.now();
        doc.put("acknowledged_at", now.toString());
        if (note != null && !note.isBlank()) {
            doc.put("note", note.trim());
        }
        try {
            es.create(c -> c.index(INDEX).id(alertId).document(doc).refresh(co.elastic.clients.elasticsearch._types.Refresh.WaitFor));
            return new Ack(alertId, by.trim(), now, note);
        } catch (ElasticsearchException | IOException e) {
            // A conflict: someone acknowledged it first, and theirs stands.
            Ack first = of(List.of(alertId)).get(alertId);
            if (first != null) {
                return first;
            }
            throw e;
        }
    }

    /** The acknowledgements of these alerts, by alert id (absent: open). */
    public Map<String, Ack> of(Collection<String> alertIds) throws IOException {
        Map<String, Ack> out = new LinkedHashMap<>();
        if (alertIds.isEmpty() || !es.indices().exists(e -> e.index(INDEX)).value()) {
            return out;
        }
        var r = es.mget(m -> m.index(INDEX).ids(new ArrayList<>(alertIds)), Map.class);
        for (var d : r.docs()) {
            if (d.isResult() && d.result().found() && d.result().source() != null) {
                Map<?, ?> s = d.result().source();
                out.put(d.result().id(), new Ack(d.result().id(), String.valueOf(s.get("acknowledged_by")),
                        Instant.parse(String.valueOf(s.get("acknowledged_at"))), s.get("note") == null ? null : String.valueOf(s.get("note"))));
            }
        }
        return out;
    }

    /** The newest alerts (for an audience, if given) with their acknowledgements; {@code openOnly}: not yet acknowledged. */
    @SuppressWarnings("unchecked")
    public List<Listed> list(String audience, boolean openOnly, int size) throws IOException {
        var r = es.search(s -> s.index(SafePathIndices.ALERTS).size(Math.min(10_000, openOnly ? size * 4 : size))
                .query(q -> audience == null ? q.matchAll(m -> m) : q.term(t -> t.field("audience").value(audience)))
                .sort(o -> o.field(f -> f.field("raised_at").order(SortOrder.Desc))), Map.class);
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Hit<Map> h : r.hits().hits()) {
            alerts.add((Map<String, Object>) h.source());
        }
        Map<String, Ack> acks = of(alerts.stream().map(a -> String.valueOf(a.get("alert_id"))).toList());
        List<Listed> out = new ArrayList<>();
        for (Map<String, Object> a : alerts) {
            Ack ack = acks.get(String.valueOf(a.get("alert_id")));
            if ((!openOnly || ack == null) && out.size() < size) {
                out.add(new Listed(a, ack));
            }
        }
        return out;
    }
}
