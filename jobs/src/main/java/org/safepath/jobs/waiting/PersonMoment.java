package org.safepath.jobs.waiting;

import org.safepath.jobs.discharge.DischargeEvent;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.safeguarding.SafeguardingEvent;

/**
 * What the waiting-well check hears about a person (by pseudonym), from three streams: a wait of theirs added,
 * re-prioritised or removed (care journey); a safeguarding concern about them; their hospital discharge-ready
 * event. A Flink POJO.
 */
public class PersonMoment {

    public enum Kind { WAIT_ADDED, PRIORITY_CHANGED, WAIT_REMOVED, SAFEGUARDING_CONCERN, DISCHARGE_READY }

    public Kind kind;
    public String personRef;
    public long at;
    public String eventId;
    public String localAuthority;
    /** On a wait's moments. */
    public String waitId;
    public String team;
    public String waitingFor;
    public String priority;
    /** On an incident: what identifies it (a concern received twice is one concern), and what a team reads about it. */
    public String incidentId;
    public String detailName;
    public String detail;

    public PersonMoment() {
    }

    public boolean isIncident() {
        return kind == Kind.SAFEGUARDING_CONCERN || kind == Kind.DISCHARGE_READY;
    }

    static PersonMoment of(CareJourneyEvent e) {
        PersonMoment m = base(e.personRef, e.occurredAt, e.eventId, e.localAuthority);
        m.kind = switch (e.type) {
            case ADDED_TO_WAITING_LIST -> Kind.WAIT_ADDED;
            case PRIORITY_CHANGED -> Kind.PRIORITY_CHANGED;
            case REMOVED_FROM_WAITING_LIST -> Kind.WAIT_REMOVED;
            default -> throw new IllegalArgumentException("Not a waiting-list event: " + e.type);
        };
        m.waitId = e.waitId;
        m.team = e.team;
        m.waitingFor = e.waitingFor;
        m.priority = e.priority;
        return m;
    }

    static PersonMoment of(SafeguardingEvent e) {
        PersonMoment m = base(e.personRef, e.occurredAt, e.eventId, e.localAuthority);
        m.kind = Kind.SAFEGUARDING_CONCERN;
        m.incidentId = "safeguarding concern " + e.concernId;
        m.detailName = "type_of_risk";
        m.detail = e.typeOfRisk;
        return m;
    }

    static PersonMoment of(DischargeEvent e) {
        PersonMoment m = base(e.personRef, e.occurredAt, e.eventId, e.localAuthority);
        m.kind = Kind.DISCHARGE_READY;
        m.incidentId = "discharge ready " + e.eventId;
        m.detailName = "hospital_site";
        m.detail = e.hospitalSite;
        return m;
    }

    private static PersonMoment base(String personRef, long at, String eventId, String localAuthority) {
        PersonMoment m = new PersonMoment();
        m.personRef = personRef;
        m.at = at;
        m.eventId = eventId;
        m.localAuthority = localAuthority;
        return m;
    }
}
