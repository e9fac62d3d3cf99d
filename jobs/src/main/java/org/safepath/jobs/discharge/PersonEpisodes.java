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

    public PersonEpisodes() {
    }

    PersonEpisodes copy() {
        PersonEpisodes c = new PersonEpisodes();
        c.episodeId = episodeId;
        c.localAuthority = localAuthority;
        c.hospitalSite = hospitalSite;
        c.readyAt = readyAt;
        c.pathway = pathway;
        c.delayReasonFamily = delayReasonFamily;
        c.lastDischargedAt = lastDischargedAt;
        c.lastDischargeLocalAuthority = lastDischargeLocalAuthority;
        c.lastDischargeSite = lastDischargeSite;
        c.lastDischargePathway = lastDischargePathway;
        return c;
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
