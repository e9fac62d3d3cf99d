package org.safepath.integration;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.safepath.events.BrokerageEvent;
import org.safepath.events.ProviderConcernEvent;
import org.safepath.events.ProviderReference;
import org.safepath.events.SafeguardingEvent;

/**
 * The Safeguarding, Brokerage and Providers sections of INDICATORS.md computed the plain way, written from the
 * text and not from the job's code: every value as of T is found by looking at every event again.
 */
final class MarketOversightReference {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    record Concern(String id, String la, long receivedAt, String home, String type, String location, String receivedEventId,
                   Long screenedAt, boolean s42) {
    }

    record Request(String id, String la, long requestedAt, String pkg, String area, List<long[]> urgencyChanges,
                   List<String> urgencies, Long respondedAt, Long sourcedAt, Long endedAt) {
        String urgencyAt(long t) {
            String u = null;
            for (int i = 0; i < urgencies.size(); i++) {
                if (urgencyChanges.get(i)[0] <= t) {
                    u = urgencies.get(i);
                }
            }
            return u;
        }

        boolean openAt(long t) {
            return requestedAt <= t && (endedAt == null || endedAt > t);
        }
    }

    final Map<String, Concern> concerns = new LinkedHashMap<>();
    final Map<String, Request> requests = new LinkedHashMap<>();
    final Map<String, ProviderReference> references = new HashMap<>();
    final List<ProviderConcernEvent> providerEvents = new ArrayList<>();

    MarketOversightReference(List<SpecificRecord> events) {
        Map<String, SafeguardingEvent> received = new HashMap<>();
        Map<String, SafeguardingEvent> screened = new HashMap<>();
        Map<String, List<BrokerageEvent>> byRequest = new LinkedHashMap<>();
        for (SpecificRecord r : events) {
            if (r instanceof SafeguardingEvent s) {
                switch (s.getEventType()) {
                    case CONCERN_RECEIVED -> received.put(s.getConcernId(), s);
                    case CONCERN_SCREENED -> screened.put(s.getConcernId(), s);
                    default -> { }
                }
            } else if (r instanceof BrokerageEvent b) {
                byRequest.computeIfAbsent(b.getRequestId(), k -> new ArrayList<>()).add(b);
            } else if (r instanceof ProviderReference p) {
                references.put(p.getLocationId(), p);
            } else if (r instanceof ProviderConcernEvent c) {
                providerEvents.add(c);
            }
        }
        received.forEach((id, s) -> {
            SafeguardingEvent sc = screened.get(id);
            concerns.put(id, new Concern(id, s.getLocalAuthority(), s.getOccurredAt().toEpochMilli(), s.getCqcLocationId(),
                    s.getTypeOfRisk().name(), s.getLocationOfRisk().name(), s.getEventId(),
                    sc == null ? null : sc.getOccurredAt().toEpochMilli(),
                    sc != null && sc.getScreeningDecision().name().equals("SECTION_42_ENQUIRY")));
        });
        byRequest.forEach((id, list) -> {
            BrokerageEvent req = list.stream().filter(b -> b.getEventType().name().equals("REQUESTED")).findFirst().orElseThrow();
            List<long[]> changes = new ArrayList<>();
            List<String> urgencies = new ArrayList<>();
            changes.add(new long[]{req.getOccurredAt().toEpochMilli()});
            urgencies.add(req.getUrgency().name());
            Long responded = null;
            Long sourced = null;
            Long ended = null;
            for (BrokerageEvent b : list) {
                long t = b.getOccurredAt().toEpochMilli();
                switch (b.getEventType()) {
                    case RESPONDED -> responded = responded == null ? t : Math.min(responded, t);
                    case ESCALATED -> {
                        changes.add(new long[]{t});
                        urgencies.add(b.getUrgency().name());
                    }
                    case SOURCED -> {
                        sourced = t;
                        ended = t;
                    }
                    case CANCELLED -> ended = t;
                    default -> { }
                }
            }
            requests.put(id, new Request(id, req.getLocalAuthority(), req.getOccurredAt().toEpochMilli(), req.getPackageType().name(),
                    req.getArea(), changes, urgencies, responded, sourced, ended));
        });
    }

    private static boolean inWindow(long time, long t, long width) {
        return time > t - width && time <= t;
    }

    // ---- safeguarding -------------------------------------------------------------------------------

    /** safeguarding.concerns_90d by care home and type of risk. */
    long concernsAtHome(String home, String type, long t) {
        return concerns.values().stream().filter(c -> home.equals(c.home()) && c.type().equals(type) && inWindow(c.receivedAt(), t, 90 * DAY)).count();
    }

    /** safeguarding.concerns_90d by local authority and location of risk. */
    long concernsAtLocation(String la, String location, long t) {
        return concerns.values().stream().filter(c -> c.la().equals(la) && c.location().equals(location) && inWindow(c.receivedAt(), t, 90 * DAY)).count();
    }

    /** Concerns at a home within (T − 30d, T], by type (the theme's counts). */
    Map<String, Long> themeCounts(String home, long t) {
        Map<String, Long> counts = new TreeMap<>();
        concerns.values().stream().filter(c -> home.equals(c.home()) && inWindow(c.receivedAt(), t, 30 * DAY))
                .forEach(c -> counts.merge(c.type(), 1L, Long::sum));
        return counts;
    }

    boolean themeAt(String home, long t) {
        Map<String, Long> counts = themeCounts(home, t);
        return counts.values().stream().anyMatch(n -> n >= 3) || counts.values().stream().mapToLong(Long::longValue).sum() >= 5;
    }

    long unscreenedOver24h(String la, long t) {
        return concerns.values().stream().filter(c -> c.la().equals(la) && c.receivedAt() <= t - DAY
                && (c.screenedAt() == null || c.screenedAt() > t)).count();
    }

    double s42Conversion(String la, long t) {
        List<Concern> screened = concerns.values().stream().filter(c -> c.la().equals(la) && inWindow(c.receivedAt(), t, 90 * DAY)
                && c.screenedAt() != null && c.screenedAt() <= t).toList();
        return screened.isEmpty() ? 0 : screened.stream().filter(Concern::s42).count() / (double) screened.size();
    }

    // ---- brokerage ----------------------------------------------------------------------------------

    long openRequests(String la, String pkg, String urgency, String area, long t) {
        return requests.values().stream().filter(r -> r.la().equals(la) && r.pkg().equals(pkg) && r.area().equals(area)
                && r.openAt(t) && urgency.equals(r.urgencyAt(t))).count();
    }

    long unsourcedOver72h(String la, String pkg, String area, long t) {
        return requests.values().stream().filter(r -> r.la().equals(la) && r.pkg().equals(pkg) && r.area().equals(area)
                && r.openAt(t) && t - r.requestedAt() >= 72 * HOUR).count();
    }

    double sameDayResponseRate(String la, long t) {
        List<Request> in = requests.values().stream().filter(r -> r.la().equals(la) && inWindow(r.requestedAt(), t, 7 * DAY)).toList();
        long sameDay = in.stream().filter(r -> r.respondedAt() != null && r.respondedAt() <= t
                && londonDay(r.respondedAt()).equals(londonDay(r.requestedAt()))).count();
        return in.isEmpty() ? 0 : sameDay / (double) in.size();
    }

    double medianHoursToSource(String la, String pkg, long t) {
        double[] hours = requests.values().stream().filter(r -> r.la().equals(la) && r.pkg().equals(pkg) && r.sourcedAt() != null
                && inWindow(r.sourcedAt(), t, 28 * DAY)).mapToDouble(r -> (r.sourcedAt() - r.requestedAt()) / (double) HOUR).sorted().toArray();
        if (hours.length == 0) {
            return 0;
        }
        int mid = hours.length / 2;
        return hours.length % 2 == 1 ? hours[mid] : (hours[mid - 1] + hours[mid]) / 2;
    }

    private static LocalDate londonDay(long t) {
        return Instant.ofEpochMilli(t).atZone(LONDON).toLocalDate();
    }

    // ---- providers ----------------------------------------------------------------------------------

    /** Concerns or notices of these kinds at a location as of T, by id: opened at, closed at (or never). */
    private Map<String, long[]> spans(String location, long t, List<String> kinds) {
        Map<String, long[]> spans = new HashMap<>();
        for (ProviderConcernEvent e : providerEvents) {
            long at = e.getOccurredAt().toEpochMilli();
            if (!e.getProviderLocationId().equals(location) || at > t) {
                continue;
            }
            if (e.getKind().name().equals("SUSPENSION_LIFTED") && kinds.contains("SUSPENSION_STARTED")) {
                spans.values().forEach(s -> s[1] = Math.min(s[1], at));
            } else if (kinds.contains(e.getKind().name())) {
                if (e.getClosed()) {
                    long[] s = spans.get(e.getConcernId().toString());
                    if (s != null) {
                        s[1] = Math.min(s[1], at);
                    }
                } else {
                    spans.put(e.getConcernId().toString(), new long[]{at, Long.MAX_VALUE});
                }
            }
        }
        spans.values().removeIf(s -> s[0] > t || s[1] <= t);
        return spans;
    }

    private boolean openAt(String location, long t, String... kinds) {
        return !spans(location, t, Arrays.asList(kinds)).isEmpty();
    }

    long openQualityConcerns(String location, long t) {
        return spans(location, t, List.of("QUALITY_CONCERN", "COMPLAINT", "WHISTLEBLOWING", "CONTRACT_BREACH", "ENFORCEMENT_ACTION")).size();
    }

    double safeguardingPer10Beds(String location, long t) {
        ProviderReference r = references.get(location);
        long n = concerns.values().stream().filter(c -> location.equals(c.home()) && inWindow(c.receivedAt(), t, 90 * DAY)).count();
        return r == null || r.getBeds() <= 0 ? 0 : n * 10.0 / r.getBeds();
    }

    /** The risk score's components as of T: INDICATORS.md, "Providers". */
    Map<String, Double> riskComponents(String location, long t) {
        ProviderReference r = references.get(location);
        String cqc = r.getCqcOverall().name();
        for (ProviderConcernEvent e : providerEvents) {
            if (e.getProviderLocationId().equals(location) && e.getKind().name().equals("CQC_RATING_PUBLISHED")
                    && e.getOccurredAt().toEpochMilli() <= t) {
                cqc = e.getCqcRating().name();
            }
        }
        String pamms = r.getPammsRating() == null ? "" : r.getPammsRating().name();
        Map<String, Double> c = new TreeMap<>();
        c.put("cqc_rating", cqc.equals("INADEQUATE") ? 40.0 : cqc.equals("REQUIRES_IMPROVEMENT") ? 20.0 : 0);
        c.put("pamms_rating", pamms.equals("POOR") ? 20.0 : pamms.equals("REQUIRES_IMPROVEMENT") ? 10.0 : 0);
        c.put("suspension", openAt(location, t, "SUSPENSION_STARTED") ? 30.0 : 0);
        c.put("open_quality_concerns", Math.min(20.0, 5.0 * openQualityConcerns(location, t)));
        c.put("safeguarding_per_10_beds", Math.min(20.0, 10 * safeguardingPer10Beds(location, t)));
        boolean licence = openAt(location, t, "SPONSORSHIP_LICENCE_SUSPENDED", "SPONSORSHIP_LICENCE_REVOKED");
        c.put("sponsorship", licence ? 25.0 : r.getCareStaff() > 0 && r.getSponsoredWorkers() > 0.3 * r.getCareStaff() ? 10.0 : 0);
        c.put("business_continuity", openAt(location, t, "BUSINESS_CONTINUITY_RISK") ? 20.0 : 0);
        c.put("closure_notice", openAt(location, t, "CLOSURE_NOTICE") ? 40.0 : 0);
        return c;
    }

    double riskScore(String location, long t) {
        return Math.min(100, riskComponents(location, t).values().stream().mapToDouble(Double::doubleValue).sum());
    }
}
