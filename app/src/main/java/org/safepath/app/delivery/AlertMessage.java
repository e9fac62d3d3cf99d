package org.safepath.app.delivery;

import java.util.List;

/**
 * An alert as a recipient reads it: a subject line, plain-English paragraphs (what happened, where, the counts and
 * window, what to consider doing), and a link to the dashboard. Written from the alert alone, which carries no person.
 */
public record AlertMessage(String alertId, String severity, String subject, List<String> paragraphs, String link) {

    /** The body as plain text: the paragraphs, then the link. */
    public String text() {
        return String.join("\n\n", paragraphs) + "\n\nOpen in SafePath: " + link + "\nAcknowledge: " + ackLink() + "\n";
    }

    /** Where the recipient says they have seen it and are acting on it. */
    public String ackLink() {
        return link.substring(0, link.indexOf("/?alert=")) + "/ack/" + alertId;
    }
}
