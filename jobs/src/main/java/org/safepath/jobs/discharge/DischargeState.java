package org.safepath.jobs.discharge;

import java.util.HashMap;
import java.util.Map;

/** One (authority, site, pathway)'s episodes of no criteria to reside, and its readmissions (time by event id). */
public class DischargeState {
    public Map<String, DischargeFact> episodes = new HashMap<>();
    public Map<String, Long> readmissions = new HashMap<>();

    public DischargeState() {
    }
}
