package org.safepath.app.delivery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.safepath.records.Alert;

/**
 * Writes each rule's alert in the words of the people who act on it: what happened, where, the counts and the
 * window, and what the rule suggests. Only the alert's own fields are used (subject, evidence counts and details),
 * so nothing about a person can reach a message.
 */
public final class AlertMessages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm", Locale.UK)
            .withZone(ZoneId.of("Europe/London"));

    private AlertMessages() {
    }

    public static AlertMessage of(Alert a, String dashboardBaseUrl) {
        Map<String, Long> counts = a.getEvidenceCounts();
        Map<String, String> details = a.getEvidenceDetails();
        String where = a.getSubjectName() != null ? a.getSubjectName() + " (" + a.getSubjectId() + ")" : String.valueOf(a.getSubjectId());
        String when = WHEN.format(a.getRaisedAt());
        List<String> p = new ArrayList<>();
        String subject;
        switch (a.getRule()) {
            case "safeguarding.care_home_theme" -> {
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                subject = "Safeguarding theme at " + name(a) + ": " + total + " concerns in 30 days";
                p.add(where + " has had " + total + " safeguarding concerns in the 30 days to " + when + ": " + byType(counts) + ".");
                p.add("The theme rule is 3 or more of one type of risk, or 5 or more of any type, within 30 days.");
                p.add("Consider a focused visit, and raising the home at the provider risk meeting.");
            }
            case "brokerage.commissioned_from_suspended_provider" -> {
                subject = "Care commissioned from a suspended provider: " + name(a);
                p.add("A package of care was sourced from " + where + " on " + when + ", while the council's suspension of "
                        + "placements there was in force (" + counts.getOrDefault("requests_sourced_during_suspension", 1L)
                        + " sourced during this suspension).");
                p.add("Review the placement today with brokerage and the commissioning lead.");
            }
            case "provider.risk_score" -> {
                subject = "Provider risk " + counts.getOrDefault("score", 0L) + " at " + name(a);
                p.add("The provider risk score of " + where + " reached " + counts.getOrDefault("score", 0L) + " on " + when
                        + " (red from 60; amber from 30).");
                p.add("Consider raising the provider at the next provider risk meeting, with the components on the dashboard.");
            }
            case "waiting.waiting_well" -> {
                boolean hospital = "DISCHARGE_READY".equals(str(details.get("what_happened")));
                subject = "Someone on " + str(a.getRecipient()) + "'s waiting list " + (hospital ? "is in hospital" : "is the subject of a safeguarding concern");
                p.add("Wait " + a.getSubjectId() + " (" + lower(details.get("priority")) + " priority, waiting for "
                        + lower(details.get("waiting_for")) + ") had been on the list " + counts.getOrDefault("days_waited", 0L) + " days when, on "
                        + when + ", " + (hospital ? "the person became ready for discharge from hospital at " + str(details.get("hospital_site"))
                        : "a safeguarding concern (" + lower(details.get("type_of_risk")) + ") was received about them") + ".");
                p.add("Review the wait's priority and contact the person or their family; the wait id finds them in the case record.");
            }
            case "transitions.no_assessment_at_18" -> {
                subject = "A young person reached 18 with no adult assessment";
                p.add("The young person of transition record " + a.getSubjectId() + " (identified on " + day(details.get("identified_on"))
                        + ") reached 18 on " + day(details.get("reached_18_on")) + " with no completed adult assessment; adult request: "
                        + str(details.get("adult_request")) + ".");
                p.add("Arrange the adult Care Act assessment now, so that support does not stop at the cliff edge.");
            }
            case "placements.host_provider_news" -> {
                subject = news(details.get("news")) + " at " + name(a) + ", where " + counts.getOrDefault("people_placed", 0L)
                        + " of your people are placed";
                p.add(news(details.get("news")) + " at " + where + ", a provider in the area of " + str(details.get("host_local_authority"))
                        + ", on " + when + ". " + counts.getOrDefault("people_placed", 0L) + " people placed by your team live there.");
                p.add("Contact the host council's safeguarding or quality team, and review the people placed there.");
            }
            default -> {
                subject = a.getRule() + " at " + name(a);
                p.add("Raised on " + when + " for " + where + ". Evidence: " + counts + ".");
            }
        }
        p.add("Severity: " + a.getSeverity().name().toLowerCase(Locale.ROOT) + ". Alert " + a.getAlertId() + ".");
        String link = dashboardBaseUrl.replaceAll("/+$", "") + "/?alert=" + URLEncoder.encode(a.getAlertId().toString(), StandardCharsets.UTF_8);
        return new AlertMessage(a.getAlertId().toString(), a.getSeverity().name(), subject, List.copyOf(p), link);
    }

    /** An ISO date as a reader writes it: 1 November 2026. */
    private static String day(Object iso) {
        try {
            return java.time.LocalDate.parse(str(iso)).format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK));
        } catch (java.time.format.DateTimeParseException e) {
            return str(iso);
        }
    }

    private static String name(Alert a) {
        return a.getSubjectName() != null ? a.getSubjectName().toString() : String.valueOf(a.getSubjectId());
    }

    private static String str(Object o) {
        return o == null ? "not recorded" : o.toString();
    }

    private static String lower(Object o) {
        return str(o).toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String news(Object kind) {
        return switch (str(kind)) {
            case "SUSPENSION_STARTED" -> "A suspension of placements";
            case "RATED_INADEQUATE" -> "An Inadequate CQC rating";
            default -> "A safeguarding concern";
        };
    }

    private static String byType(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().toString().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    static String instant(Instant t) {
        return WHEN.format(t);
    }
}
