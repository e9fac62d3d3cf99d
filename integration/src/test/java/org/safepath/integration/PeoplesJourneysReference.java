package org.safepath.integration;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.avro.specific.SpecificRecord;
import org.safepath.events.CareJourneyEvent;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.ProviderConcernEvent;
import org.safepath.events.SafeguardingEvent;

/**
 * The Waiting lists, Transitions and Out-of-area placements sections of INDICATORS.md, and their alerts, computed the
 * plain way from the text, not from the job's code: people by their NHS number in clear (this is test code), every
 * value as of T found by looking at every event again, and the Alerts section's cooldown applied to the result.
 */
final class PeoplesJourneysReference {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long WEEK = 7 * DAY;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    record Wait(String id, String la, String team, String waitingFor, String person, long addedAt, String addedEventId,
                TreeMap<Long, String> priorities, Long removedAt) {
        boolean openAt(long t) {
            return addedAt <= t && (removedAt == null || removedAt > t);
        }

        String priorityAt(long t) {
            var e = priorities.floorEntry(t);
            return e == null ? null : e.getValue();
        }
    }

    record YoungPerson(String person, String la, String team, String identifiedEventId, long identifiedAt, int birthYear,
                       int birthMonth, Long requestAt, Long assessedAt) {
        long reaches(int years, int months) {
            return LocalDate.of(birthYear, birthMonth, 1).plusYears(years).plusMonths(months).atStartOfDay(LONDON).toInstant().toEpochMilli();
        }

        boolean trackedAt(long t) {
            return identifiedAt <= t && reaches(14, 0) <= t && t < reaches(26, 0);
        }

        long cliff() {
            return Math.max(reaches(18, 0), identifiedAt);
        }
    }

    record Placement(String person, String la, String team, String location, String host, long startedAt, Long endedAt) {
        boolean openAt(long t) {
            return startedAt <= t && (endedAt == null || endedAt > t);
        }
    }

    /** An alert as the rule would raise it: rule, subject, recipient, when, evidence count, severity. */
    record Expected(String rule, String subject, String recipient, long raisedAt, long count, String severity) {
    }

    final Map<String, Wait> waits = new LinkedHashMap<>();
    final Map<String, YoungPerson> young = new LinkedHashMap<>();
    final List<Placement> placements = new ArrayList<>();
    /** Safeguarding concerns and discharge-ready events about a person: NHS number, when, event id. */
    final List<String[]> incidents = new ArrayList<>();
    /** News at a provider: location, when, severity, event id. */
    final List<String[]> news = new ArrayList<>();

    PeoplesJourneysReference(List<SpecificRecord> events) {
        Map<String, Placement> open = new HashMap<>();
        Map<String, String[]> requests = new HashMap<>();
        Map<String, Long> assessed = new HashMap<>();
        List<CareJourneyEvent> journeys = events.stream().filter(r -> r instanceof CareJourneyEvent).map(r -> (CareJourneyEvent) r)
                .sorted(Comparator.comparing((CareJourneyEvent c) -> c.getOccurredAt()).thenComparing(c -> c.getEventId().toString())).toList();
        for (CareJourneyEvent c : journeys) {
            long t = c.getOccurredAt().toEpochMilli();
            String person = People.key(c.getPerson());
            String waitId = c.getWaitId() == null ? null : c.getWaitId().toString();
            switch (c.getEventType()) {
                case ADDED_TO_WAITING_LIST -> {
                    TreeMap<Long, String> p = new TreeMap<>();
                    p.put(t, c.getPriority().name());
                    waits.put(waitId, new Wait(waitId, c.getLocalAuthority().toString(), c.getTeam().toString(), c.getWaitingFor().name(),
                            person, t, c.getEventId().toString(), p, null));
                }
                case PRIORITY_CHANGED -> waits.get(waitId).priorities().put(t, c.getPriority().name());
                case REMOVED_FROM_WAITING_LIST -> {
                    Wait w = waits.get(waitId);
                    waits.put(waitId, new Wait(w.id(), w.la(), w.team(), w.waitingFor(), w.person(), w.addedAt(), w.addedEventId(),
                            w.priorities(), t));
                }
                case TRANSITION_IDENTIFIED -> young.put(person, new YoungPerson(person, c.getLocalAuthority().toString(),
                        c.getTeam().toString(), c.getEventId().toString(), t, c.getBirthYear(), c.getBirthMonth(), null, null));
                case REQUEST_RECEIVED -> requests.putIfAbsent(person, new String[]{Long.toString(t), c.getEventId().toString()});
                case ASSESSMENT_COMPLETED -> assessed.putIfAbsent(person, t);
                case SERVICE_STARTED -> {
                    if (c.getProviderLocationId() != null) {
                        open.putIfAbsent(person + "|" + c.getProviderLocationId(), new Placement(person, c.getLocalAuthority().toString(),
                                c.getTeam().toString(), c.getProviderLocationId().toString(), c.getProviderLocalAuthority().toString(), t, null));
                    }
                }
                case SERVICE_ENDED -> {
                    Placement p = open.remove(person + "|" + c.getProviderLocationId());
                    if (p != null) {
                        placements.add(new Placement(p.person(), p.la(), p.team(), p.location(), p.host(), p.startedAt(), t));
                    }
                }
                default -> { }
            }
        }
        placements.addAll(open.values());
        young.replaceAll((person, y) -> new YoungPerson(y.person(), y.la(), y.team(), y.identifiedEventId(), y.identifiedAt(),
                y.birthYear(), y.birthMonth(), requests.containsKey(person) ? Long.parseLong(requests.get(person)[0]) : null,
                assessed.get(person)));
        for (SpecificRecord r : events) {
            if (r instanceof SafeguardingEvent s && s.getEventType().name().equals("CONCERN_RECEIVED")) {
                incidents.add(new String[]{People.key(s.getPerson()), Long.toString(s.getOccurredAt().toEpochMilli()),
                        s.getEventId().toString()});
                if (s.getCqcLocationId() != null) {
                    news.add(new String[]{s.getCqcLocationId().toString(), Long.toString(s.getOccurredAt().toEpochMilli()), "WARNING",
                            s.getEventId().toString()});
                }
            } else if (r instanceof HospitalDischargeEvent h && h.getEventType().name().equals("DISCHARGE_READY")) {
                incidents.add(new String[]{People.key(h.getPerson()), Long.toString(h.getOccurredAt().toEpochMilli()),
                        h.getEventId().toString()});
            } else if (r instanceof ProviderConcernEvent p && !p.getClosed() && (p.getKind().name().equals("SUSPENSION_STARTED")
                    || (p.getKind().name().equals("CQC_RATING_PUBLISHED") && "INADEQUATE".equals(String.valueOf(p.getCqcRating()))))) {
                news.add(new String[]{p.getProviderLocationId().toString(), Long.toString(p.getOccurredAt().toEpochMilli()), "HIGH",
                        p.getEventId().toString()});
            }
        }
    }

    // ---- waiting lists ------------------------------------------------------------------------------

    private List<Wait> row(String la, String team, String waitingFor, String priority, long t) {
        return waits.values().stream().filter(w -> w.la().equals(la) && w.team().equals(team) && w.waitingFor().equals(waitingFor)
                && w.openAt(t) && priority.equals(w.priorityAt(t))).toList();
    }

    static long thresholdDays(String priority) {
        return switch (priority) {
            case "HIGH" -> 7;
            case "MEDIUM" -> 28;
            default -> 84;
        };
    }

    double waiting(String indicator, String la, String team, String waitingFor, String priority, long t) {
        List<Wait> row = row(la, team, waitingFor, priority, t);
        return switch (indicator) {
            case "waiting.people_waiting" -> row.size();
            case "waiting.over_threshold" -> row.stream().filter(w -> t - w.addedAt() >= thresholdDays(priority) * DAY).count();
            case "waiting.median_wait_days" -> {
                double[] days = row.stream().mapToDouble(w -> (t - w.addedAt()) / (double) DAY).sorted().toArray();
                yield days.length == 0 ? 0 : days.length % 2 == 1 ? days[days.length / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2;
            }
            case "waiting.band_under_6_weeks" -> row.stream().filter(w -> t - w.addedAt() < 6 * WEEK).count();
            case "waiting.band_6_to_11_weeks" -> row.stream().filter(w -> t - w.addedAt() >= 6 * WEEK && t - w.addedAt() < 12 * WEEK).count();
            case "waiting.band_12_to_23_weeks" -> row.stream().filter(w -> t - w.addedAt() >= 12 * WEEK && t - w.addedAt() < 24 * WEEK).count();
            case "waiting.band_24_plus_weeks" -> row.stream().filter(w -> t - w.addedAt() >= 24 * WEEK).count();
            default -> throw new AssertionError(indicator);
        };
    }

    /** Waiting well: each incident after a person joined a list and before the wait ended, then the cooldown. */
    List<Expected> waitingWellAlerts(long until) {
        Map<String, List<long[]>> byWait = new TreeMap<>();
        for (String[] i : incidents) {
            long t = Long.parseLong(i[1]);
            for (Wait w : waits.values()) {
                if (w.person().equals(i[0]) && w.addedAt() < t && (w.removedAt() == null || w.removedAt() > t) && t <= until) {
                    byWait.computeIfAbsent(w.id(), k -> new ArrayList<>()).add(new long[]{t});
                }
            }
        }
        List<Expected> raised = new ArrayList<>();
        byWait.forEach((id, times) -> {
            times.sort(Comparator.comparingLong(a -> a[0]));
            List<long[]> candidates = new ArrayList<>();
            for (int n = 0; n < times.size(); n++) {
                candidates.add(new long[]{times.get(n)[0], n + 1, 2});
            }
            cooldown("waiting.waiting_well", id, waits.get(id).team(), candidates, raised);
        });
        return raised;
    }

    // ---- transitions --------------------------------------------------------------------------------

    long transitions(String indicator, String la, long t) {
        return young.values().stream().filter(y -> y.la().equals(la) && y.trackedAt(t)).filter(y -> switch (indicator) {
            case "transitions.tracked" -> true;
            case "transitions.no_adult_request_at_17_5" -> y.reaches(17, 6) <= t && (y.requestAt() == null || y.requestAt() > t);
            case "transitions.no_assessment_at_18" -> y.reaches(18, 0) <= t && (y.assessedAt() == null || y.assessedAt() > t);
            default -> throw new AssertionError(indicator);
        }).count();
    }

    List<Expected> cliffEdgeAlerts(long until) {
        return young.values().stream().filter(y -> y.cliff() <= until && y.cliff() < y.reaches(26, 0)
                        && (y.assessedAt() == null || y.assessedAt() > y.cliff()))
                .map(y -> new Expected("transitions.no_assessment_at_18", y.identifiedEventId(), y.team(), y.cliff(), 1, "HIGH")).toList();
    }

    // ---- out-of-area placements ---------------------------------------------------------------------

    long outOfArea(String la, String host, long t) {
        return placements.stream().filter(p -> p.la().equals(la) && p.host().equals(host) && !host.equals(la) && p.openAt(t))
                .map(Placement::person).distinct().count();
    }

    /** News at a provider where a team has people placed out of area as of the news, then the cooldown per team. */
    List<Expected> hostNewsAlerts(long until) {
        Map<String, List<long[]>> byTeam = new TreeMap<>();
        news.stream().sorted(Comparator.comparingLong((String[] n) -> Long.parseLong(n[1])).thenComparing(n -> n[3])).forEach(n -> {
            long t = Long.parseLong(n[1]);
            if (t > until) {
                return;
            }
            Map<String, Set<String>> people = new TreeMap<>();
            placements.stream().filter(p -> p.location().equals(n[0]) && !p.host().equals(p.la()) && p.openAt(t))
                    .forEach(p -> people.computeIfAbsent(p.team(), k -> new TreeSet<>()).add(p.person()));
            people.forEach((team, who) -> byTeam.computeIfAbsent(n[0] + "|" + team, k -> new ArrayList<>())
                    .add(new long[]{t, who.size(), n[2].equals("HIGH") ? 2 : 1}));
        });
        List<Expected> raised = new ArrayList<>();
        byTeam.forEach((key, candidates) -> cooldown("placements.host_provider_news", key.substring(0, key.indexOf('|')),
                key.substring(key.indexOf('|') + 1), candidates, raised));
        return raised;
    }

    /**
     * The Alerts section: at most one alert per rule and subject (and recipient) per 7-day cooldown unless it escalates
     * (severity rises, or the evidence count at least doubles); after the cooldown only new evidence raises again; a
     * subject quiet for a cooldown starts afresh. Candidates: {time, evidence count, severity rank}, in time order.
     */
    private static void cooldown(String rule, String subject, String recipient, List<long[]> candidates, List<Expected> raised) {
        long[] last = null;
        long lastSeen = Long.MIN_VALUE;
        for (long[] c : candidates) {
            if (last != null && c[0] >= last[0] + WEEK && c[0] >= lastSeen + WEEK) {
                last = null;
            }
            if (last == null || c[2] > last[2] || c[1] >= 2 * last[1] || (c[0] >= last[0] + WEEK && c[1] > last[1])) {
                last = c;
                raised.add(new Expected(rule, subject, recipient, c[0], c[1], c[2] == 2 ? "HIGH" : "WARNING"));
            }
            lastSeen = c[0];
        }
    }

    static String day(long t) {
        return Instant.ofEpochMilli(t).atZone(LONDON).toLocalDate().toString();
    }
}
