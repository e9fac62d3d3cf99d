package org.safepath.connectors.elasticsearch;

import java.time.Instant;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.safepath.records.Alert;

/** An alert as a document of the alerts index: its deterministic id, versioned by when it was raised. */
public final class AlertDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertDocuments() {
    }

    public static IndexOperation of(Alert a) {
        return new IndexOperation(SafePathIndices.ALERTS, a.getAlertId(), a.getRaisedAt().toEpochMilli(), source(a));
    }

    /** The alert as JSON: the alerts index document and a line of a backtest's alerts file. */
    public static ObjectNode json(Alert a) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("alert_id", a.getAlertId());
        doc.put("rule", a.getRule());
        doc.put("severity", a.getSeverity().name());
        doc.put("subject_kind", a.getSubjectKind());
        doc.put("subject_id", a.getSubjectId());
        if (a.getSubjectName() != null) {
            doc.put("subject_name", a.getSubjectName());
        }
        doc.put("audience", a.getAudience());
        if (a.getRecipient() != null) {
            doc.put("recipient", a.getRecipient());
        }
        if (a.getUnresolvedAudience() != null) {
            doc.put("unresolved_audience", a.getUnresolvedAudience());
        }
        ObjectNode counts = doc.putObject("evidence_counts");
        new TreeMap<>(a.getEvidenceCounts()).forEach(counts::put);
        a.getEvidenceEventIds().forEach(doc.putArray("evidence_event_ids")::add);
        ObjectNode details = doc.putObject("evidence_details");
        new TreeMap<>(a.getEvidenceDetails()).forEach(details::put);
        doc.put("raised_at", Instant.ofEpochMilli(a.getRaisedAt().toEpochMilli()).toString());
        return doc;
    }

    private static byte[] source(Alert a) {
        try {
            return JSON.writeValueAsBytes(json(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
