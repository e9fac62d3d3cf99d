package org.safepath.app.delivery;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.core.GetResponse;
import org.safepath.connectors.elasticsearch.IndicatorDocuments;

/**
 * The delivery log in Elasticsearch ({@value #INDEX}): one document per alert, channel and recipient, holding the
 * latest state of its delivery (sent, retrying, overdue), its attempts, when, and the last error. The dispatcher
 * reads it before every send (a real-time get), so nothing it records as sent is sent again.
 */
public final class DeliveryLog {

    public static final String INDEX = org.safepath.connectors.elasticsearch.SafePathIndices.DELIVERIES;

    private final ElasticsearchClient es;

    public DeliveryLog(ElasticsearchClient es) {
        this.es = es;
    }

    /** Creates the index with its mapping if it is not there. */
    public void ensureIndex() throws IOException {
        Map<String, Property> p = new LinkedHashMap<>();
        for (String keyword : new String[]{"delivery_id", "alert_id", "rule", "subject_id", "audience", "channel", "recipient", "status"}) {
            p.put(keyword, Property.of(x -> x.keyword(k -> k)));
        }
        for (String date : new String[]{"first_attempt_at", "last_attempt_at", "sent_at", "raised_at"}) {
            p.put(date, Property.of(x -> x.date(d -> d)));
        }
        p.put("attempts", Property.of(x -> x.integer(i -> i)));
        p.put("overdue", Property.of(x -> x.boolean_(b -> b)));
        p.put("error", Property.of(x -> x.text(t -> t)));
        org.safepath.connectors.elasticsearch.ElasticsearchClients.ensureIndex(es, INDEX, p);
    }

    /**
     * The delivery's id: the same alert to the same channel and recipient is one delivery, however often it is tried.
     * The recipient is the route's label (a mailbox, or the audience or team a webhook serves), not a webhook's URL:
     * a regenerated webhook (or the demo's receiver on a new port after a restart) is the same recipient, and what
     * was sent to it is not sent again.
     */
    public static String id(String alertId, Route route) {
        return IndicatorDocuments.hashedId("delivery\u001f" + alertId + '\u001f' + route.channel() + '\u001f' + route.label());
    }

    public boolean wasSent(String deliveryId) throws IOException {
        GetResponse<Map> r = es.get(g -> g.index(INDEX).id(deliveryId).realtime(true), Map.class);
        return r.found() && r.source() != null && "sent".equals(r.source().get("status"));
    }

    /** The delivery's state now (one document per delivery, overwritten at each attempt). */
    public void record(String deliveryId, AlertMessage m, org.safepath.records.Alert a, Route route, String status, int attempts,
                       Instant firstAttempt, Instant now, boolean overdue, String error) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("delivery_id", deliveryId);
        doc.put("alert_id", m.alertId());
        doc.put("rule", a.getRule().toString());
        doc.put("subject_id", a.getSubjectId().toString());
        doc.put("audience", a.getAudience().toString());
        doc.put("raised_at", a.getRaisedAt().toString());
        doc.put("channel", route.channel());
        doc.put("recipient", route.label());
        doc.put("status", status);
        doc.put("attempts", attempts);
        doc.put("first_attempt_at", firstAttempt.toString());
        doc.put("last_attempt_at", now.toString());
        if (status.equals("sent")) {
            doc.put("sent_at", now.toString());
        }
        doc.put("overdue", overdue);
        if (error != null) {
            doc.put("error", error);
        }
        es.index(i -> i.index(INDEX).id(deliveryId).document(doc));
    }
}
