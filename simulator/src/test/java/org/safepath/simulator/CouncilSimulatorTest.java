package org.safepath.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.safepath.events.CareJourneyEvent;
import org.safepath.events.CareJourneyEventType;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.ProviderConcernEvent;
import org.safepath.events.ProviderConcernKind;
import org.safepath.events.SafeguardingEvent;
import org.safepath.events.TypeOfRisk;
import org.safepath.schemas.EventStream;

class CouncilSimulatorTest {

    private static final Instant FROM = Instant.parse("2026-01-05T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofDays(90));

    @Test
    void theSameSeedGivesTheSameEventsInEventTimeOrder() {
        List<SimulatedEvent> a = new CouncilSimulator(7, CouncilSimulator.Rates.county()).generate(FROM, TO);
        List<SimulatedEvent> b = new CouncilSimulator(7, CouncilSimulator.Rates.county()).generate(FROM, TO);
        assertThat(a).extracting(SimulatedEvent::eventId).isEqualTo(b.stream().map(SimulatedEvent::eventId).toList());
        for (int i = 1; i < a.size(); i++) {
            assertThat(a.get(i).occurredAt()).isGreaterThanOrEqualTo(a.get(i - 1).occurredAt());
        }
        assertThat(a).allMatch(e -> e.occurredAt() >= FROM.toEpochMilli() && e.occurredAt() < TO.toEpochMilli());
    }

    @Test
    void ratesAreThoseOfACounty() {
        Map<EventStream, Long> byStream = new CouncilSimulator(7, CouncilSimulator.Rates.county()).generate(FROM, TO).stream()
                .collect(Collectors.groupingBy(SimulatedEvent::stream, Collectors.counting()));
        long readyPerDay = new CouncilSimulator(7, CouncilSimulator.Rates.county()).generate(FROM, TO).stream()
                .filter(e -> e.record() instanceof HospitalDischargeEvent h && h.getEventType().name().equals("DISCHARGE_READY"))
                .count() / 90;
        assertThat(readyPerDay).as("people a day becoming ready for discharge").isBetween(20L, 35L);
        long requestsPerYear = byStream.get(EventStream.BROKERAGE) * 365 / 90 / 3;
        assertThat(requestsPerYear).as("brokerage requests a year (about three events each)").isBetween(5000L, 9000L);
        assertThat(byStream.get(EventStream.PROVIDER_REFERENCE)).isEqualTo(150);
    }

    @Test
    void everyNhsNumberIsInTheTestRangeWithAValidCheckDigit() {
        new CouncilSimulator(7, CouncilSimulator.Rates.county()).council().people().stream().limit(5000)
                .filter(p -> p.nhsNumber() != null).forEach(p -> {
            String n = p.nhsNumber();
            assertThat(n).as("never issued to a patient").startsWith("999");
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (n.charAt(i) - '0') * (10 - i);
            }
            int check = (11 - sum % 11) % 11;
            assertThat(check).as(n).isNotEqualTo(10).isEqualTo(n.charAt(9) - '0');
        });
    }

    @Test
    void noTwoPeopleShareAnNhsNumber() {
        // At random, 40,000 people from the test range's ~909,000 numbers would share about 870 of them; the pipeline
        // would take two such people for one and turn away the second one's service ending as out of order.
        List<SimulatedEvent> events = new CouncilSimulator(7, CouncilSimulator.Rates.county()).generate(FROM, TO);
        java.util.Map<String, java.util.Set<String>> peopleByNhsNumber = new java.util.HashMap<>();
        long withoutNhsNumber = 0;
        long people = 0;
        for (SimulatedEvent e : events) {
            if (((org.apache.avro.generic.GenericRecord) e.record()).getSchema().getField("person") == null) {
                continue;
            }
            Object person = ((org.apache.avro.generic.GenericRecord) e.record()).get("person");
            if (person instanceof org.safepath.events.PersonIdentifier p) {
                people++;
                if (p.getNhsNumber() == null) {
                    withoutNhsNumber++;
                } else {
                    peopleByNhsNumber.computeIfAbsent(p.getNhsNumber(), n -> new java.util.HashSet<>()).add(p.getCouncilPersonId());
                }
            }
        }
        assertThat(peopleByNhsNumber).isNotEmpty();
        assertThat(peopleByNhsNumber.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(withoutNhsNumber).as("events about someone with no NHS number, of %d", people).isLessThan(people * 5 / 100);
    }

    @Test
    void noOneIsInTwoCareHomesAtOnce() {
        // A second journey for someone whose first stay goes on would start a second stay; the pipeline then turns
        // away one of the two endings as out of order.
        List<SimulatedEvent> events = new CouncilSimulator(7, CouncilSimulator.Rates.county().times(3))
                .generate(FROM.minus(java.time.Duration.ofDays(275)), TO);
        java.util.Map<String, String> inHome = new java.util.HashMap<>();
        long stays = 0;
        for (SimulatedEvent e : events) {
            if (e.record() instanceof org.safepath.events.CareJourneyEvent c && c.getProviderLocationId() != null) {
                String person = c.getPerson().getCouncilPersonId();
                if (c.getEventType() == org.safepath.events.CareJourneyEventType.SERVICE_STARTED) {
                    assertThat(inHome.put(person, c.getProviderLocationId())).as("%s starts a stay at %s", person, c.getOccurredAt()).isNull();
                    stays++;
                } else if (c.getEventType() == org.safepath.events.CareJourneyEventType.SERVICE_ENDED) {
                    assertThat(inHome.remove(person)).as("%s ends a stay at %s", person, c.getOccurredAt()).isEqualTo(c.getProviderLocationId());
                }
            }
        }
        assertThat(stays).isGreaterThan(1000);
    }

    @Test
    void thePlantedSituationsAreThere() {
        CouncilSimulator simulator = new CouncilSimulator(7, CouncilSimulator.Rates.county());
        List<SimulatedEvent> events = simulator.generate(FROM, TO);
        String neglectHome = simulator.council().careHomes().get(7).locationId();
        long neglect = events.stream().filter(e -> e.record() instanceof SafeguardingEvent s && neglectHome.equals(s.getCqcLocationId())
                && s.getTypeOfRisk() == TypeOfRisk.NEGLECT_AND_ACTS_OF_OMISSION).count();
        assertThat(neglect).as("neglect concerns at the planted home").isGreaterThanOrEqualTo(4);
        assertThat(events).anyMatch(e -> e.record() instanceof ProviderConcernEvent p && p.getKind() == ProviderConcernKind.SUSPENSION_STARTED
                && p.getProviderLocationId().equals(simulator.council().careHomes().get(3).locationId()));
        assertThat(events).anyMatch(e -> e.record().toString().contains("TRANSITION_IDENTIFIED"));

        // News at a host provider: people placed in a home of another council's area, then a concern there.
        String host = simulator.council().careHomes().get(11).locationId();
        assertThat(simulator.council().careHomes().get(11).localAuthority()).isNotEqualTo(SyntheticCouncil.LOCAL_AUTHORITY);
        long placedThere = events.stream().filter(e -> e.record() instanceof CareJourneyEvent c
                && c.getEventType() == CareJourneyEventType.SERVICE_STARTED && host.equals(c.getProviderLocationId())).count();
        assertThat(placedThere).isGreaterThanOrEqualTo(2);
        assertThat(events).anyMatch(e -> e.record() instanceof SafeguardingEvent c && host.equals(c.getCqcLocationId()));

        // Waiting well: someone waiting is then ready for discharge from hospital.
        Map<String, CareJourneyEvent> added = events.stream().filter(e -> e.record() instanceof CareJourneyEvent c
                        && c.getEventType() == CareJourneyEventType.ADDED_TO_WAITING_LIST && "North Locality".equals(c.getTeam()))
                .map(e -> (CareJourneyEvent) e.record()).collect(Collectors.toMap(c -> c.getPerson().getNhsNumber(), c -> c, (a, b) -> a));
        assertThat(events).anyMatch(e -> e.record() instanceof HospitalDischargeEvent h && h.getEventType().name().equals("DISCHARGE_READY")
                && added.containsKey(h.getPerson().getNhsNumber())
                && added.get(h.getPerson().getNhsNumber()).getOccurredAt().isBefore(h.getOccurredAt()));
        assertThat(events).anyMatch(e -> e.record() instanceof CareJourneyEvent c && c.getEventType() == CareJourneyEventType.PRIORITY_CHANGED);
    }
}
