package org.safepath.jobs.discharge;

/**
 * What the episode tracker tells the indicator aggregator of one (local authority, site, pathway): an
 * episode of no criteria to reside as it now stands, an episode moved away from this key, or a failed
 * discharge (a readmission counted under the site and pathway of the earlier discharge).
 */
public class DischargeFact extends org.safepath.jobs.primitives.TimedFact {

    public enum Kind { EPISODE, EPISODE_MOVED_AWAY, READMISSION }

    public Kind kind;
    public String localAuthority;
    public String hospitalSite;
    public String pathway;
    public String episodeId;
    /** The Discharge Ready Date (event time, millis). */
    public long readyAt;
    /** When the episode ended (discharge or close), or null while the person is still in a bed. */
    public Long endedAt;
    public boolean discharged;
    public String delayReasonFamily;
    /** For a readmission: when the person was admitted again, and that admission's event id. */
    public long readmittedAt;
    public String readmissionEventId;

    public DischargeFact() {
    }

    /** The pathway value of a site's all-pathways key, where the site-level RAG of INDICATORS.md applies. */
    public static final String ALL_PATHWAYS = "ALL";

    /** The same fact under another value of a dimension: the catalogue's roll-up of a pathway to its site's all-pathways row. */
    DischargeFact rolledUp(String dimension, String value) {
        if (!dimension.equals("pathway")) {
            throw new IllegalArgumentException("A discharge fact rolls up by pathway only, not by " + dimension);
        }
        DischargeFact f = new DischargeFact();
        f.kind = kind;
        f.localAuthority = localAuthority;
        f.hospitalSite = hospitalSite;
        f.pathway = value;
        f.episodeId = episodeId;
        f.readyAt = readyAt;
        f.endedAt = endedAt;
        f.discharged = discharged;
        f.delayReasonFamily = delayReasonFamily;
        f.readmittedAt = readmittedAt;
        f.readmissionEventId = readmissionEventId;
        f.factTime = factTime;
        f.provisional = provisional;
        return f;
    }

    /** What a later fact about the same thing replaces: the episode, or the readmission. */
    @Override
    public String identity() {
        return kind == Kind.READMISSION ? "readmission " + readmissionEventId : "episode " + episodeId;
    }

    /** The (local authority, hospital site, pathway) whose values this fact changes. */
    @Override
    public org.safepath.jobs.primitives.DimensionKey key() {
        return org.safepath.jobs.primitives.DimensionKey.of("local_authority", localAuthority, "hospital_site", hospitalSite,
                "pathway", pathway);
    }

    static DischargeFact episode(String localAuthority, String site, String pathway, String episodeId, long readyAt,
                                 Long endedAt, boolean discharged, String reason, long factTime) {
        DischargeFact f = new DischargeFact();
        f.kind = Kind.EPISODE;
        f.localAuthority = localAuthority;
        f.hospitalSite = site;
        f.pathway = pathway;
        f.episodeId = episodeId;
        f.readyAt = readyAt;
        f.endedAt = endedAt;
        f.discharged = discharged;
        f.delayReasonFamily = reason;
        f.factTime = factTime;
        return f;
    }

    boolean openAt(long t) {
        return readyAt <= t && (endedAt == null || endedAt > t);
    }
}
