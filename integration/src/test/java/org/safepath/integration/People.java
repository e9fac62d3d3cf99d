package org.safepath.integration;

import java.util.ArrayList;
import java.util.List;

import org.safepath.events.PersonIdentifier;

/** Who an event is about, as the pipeline tells people apart: by NHS number, or by council person id where there is none. */
final class People {

    private People() {
    }

    /** One person's key in a reference: their NHS number, or their council person id. */
    static String key(PersonIdentifier p) {
        return p.getNhsNumber() != null ? p.getNhsNumber() : "council " + p.getCouncilPersonId();
    }

    /** The identifiers in clear that must never reach Elasticsearch, alerts or messages. */
    static List<String> clearIdentifiers(PersonIdentifier p) {
        List<String> ids = new ArrayList<>();
        if (p.getNhsNumber() != null) {
            ids.add(p.getNhsNumber());
        }
        if (p.getCouncilPersonId() != null) {
            ids.add(p.getCouncilPersonId());
        }
        return ids;
    }
}
