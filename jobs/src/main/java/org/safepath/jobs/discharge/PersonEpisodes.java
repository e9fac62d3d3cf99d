package org.safepath.jobs.discharge;

/** One person's hospital state in the episode tracker: the open episode, and the last discharge (for readmissions). */
public class PersonEpisodes {
    public String episodeId;
    public String localAuthority;
    public String hospitalSite;
    public Long readyAt;
    public String pathway;
    public String delayReasonFamily;

    public Long lastDischargedAt;
    public String lastDischargeLocalAuthority;
    public String lastDischargeSite;
    public String lastDischargePathway;
    /** When the last episode was closed without a discharge (died, moved hospital, criteria to reside again). */
    public Long closedAt;

    public PersonEpisodes() {
    }

    boolean hasOpenEpisode() {
        return episodeId != null;
    }

    void closeEpisode() {
        episodeId = null;
        localAuthority = null;
        hospitalSite = null;
        readyAt = null;
        pathway = null;
        delayReasonFamily = null;
    }
}
