package org.safepath.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.safepath.events.BrokerageEvent;
import org.safepath.events.BrokerageEventType;
import org.safepath.events.BrokerageUrgency;
import org.safepath.events.CareJourneyEvent;
import org.safepath.events.CareJourneyEventType;
import org.safepath.events.DelayReasonFamily;
import org.safepath.events.DischargeEventType;
import org.safepath.events.DischargePathway;
import org.safepath.events.EpisodeCloseReason;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.LocationOfRisk;
import org.safepath.events.PackageType;
import org.safepath.events.PersonIdentifier;
import org.safepath.events.ProviderConcernEvent;
import org.safepath.events.ProviderConcernKind;
import org.safepath.events.ProviderReference;
import org.safepath.events.RouteOfAccess;
import org.safepath.events.SafeguardingEvent;
import org.safepath.events.SafeguardingEventType;
import org.safepath.events.ScreeningDecision;
import org.safepath.events.ServiceType;
import org.safepath.events.SourceOfRisk;
import org.safepath.events.TypeOfRisk;
import org.safepath.events.WaitPriority;
import org.safepath.events.WaitingFor;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.SyntheticCouncil.CareHome;
import org.safepath.simulator.SyntheticCouncil.Person;

/**
 * A synthetic county council's event streams over a period, deterministic for a seed: tens of people a day
 * becoming ready for hospital discharge, thousands of safeguarding concerns and about 7,000 brokerage
 * requests a year, waiting lists, care home placements (some out of area), provider concerns and transitions.
 * Planted situations: a care home that develops a neglect theme, a provider suspended and then commissioned
 * anyway, a young person reaching 18 with no adult assessment, a person admitted to hospital while on a waiting
 * list, and a safeguarding concern at a home in another council's area where the council has placed people.
 */
public final class CouncilSimulator {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final String TRANSITIONS_TEAM = "Transitions Team";

    /** Events a day, by kind; a county of about half a million people. */
    public record Rates(double dischargeReady, double safeguardingConcerns, double brokerageRequests,
                        double providerConcerns, double careRequests, double transitionsIdentified) {
        public static Rates county() {
            return new Rates(25, 9, 19, 1.5, 30, 0.35);
        }

        public Rates times(double factor) {
            return new Rates(dischargeReady * factor, safeguardingConcerns * factor, brokerageRequests * factor,
                    providerConcerns * factor, careRequests * factor, transitionsIdentified * factor);
        }
    }

    private final long seed;
    private final Rates rates;
    private final SyntheticCouncil council;
    private final Random random;
    private final List<SimulatedEvent> events = new ArrayList<>();
    private final Map<String, Long> personBusyUntil = new HashMap<>();
    /** When each person's care home stay ends, by council person id: one stay at a time. */
    private final Map<String, Long> personPlacedUntil = new HashMap<>();
    private long sequence;
    private long from;
    private long to;
    /** The planted suspension: brokerage does not commission this home once it is suspended, except the planted mistake. */
    private CareHome suspendedHome;
    private long suspendedAt;

    public CouncilSimulator(long seed, Rates rates) {
        this.seed = seed;
        this.rates = rates;
        // Forty thousand people known to adult social care for a county's rates; more for a larger area.
        this.council = new SyntheticCouncil(seed, (int) Math.max(40_000, 40_000 * rates.dischargeReady() / 25), 150);
        this.random = new Random(seed * 31 + 7);
    }

    public SyntheticCouncil council() {
        return council;
    }

    /** Every event with occurred_at in [from, to), in event-time order (ties by event id). */
    public List<SimulatedEvent> generate(Instant fromInstant, Instant toInstant) {
        events.clear();
        personBusyUntil.clear();
        personPlacedUntil.clear();
        sequence = 0;
        from = fromInstant.toEpochMilli();
        to = toInstant.toEpochMilli();
        suspendedHome = council.careHomes().get(3);
        suspendedAt = from + Math.min(30 * DAY, (to - from) / 2);
        providerReference();
        // People who will be ready after the period were admitted during it: draw readiness past the end, so the
        // last days have their admissions too (the events after the period are dropped below).
        arrivals(rates.dischargeReady(), to + 30 * DAY, this::dischargeEpisode);
        // The council hears of concerns at homes in its own area; what happens at homes in other areas is what host
        // councils do not pass on (the planted news at a host provider is the exception the pipeline must catch).
        arrivals(rates.safeguardingConcerns(), t -> safeguardingConcern(t, randomHomeInArea(), randomRisk()));
        arrivals(rates.brokerageRequests(), t -> brokerageRequest(t, null));
        arrivals(rates.providerConcerns(), t -> providerConcern(t, randomHome(), ProviderConcernKind.QUALITY_CONCERN, true));
        arrivals(rates.careRequests(), this::careRequest);
        arrivals(rates.transitionsIdentified(), this::transitionIdentified);
        planted();
        events.removeIf(e -> e.occurredAt() < from || e.occurredAt() >= to);
        events.sort(Comparator.comparingLong(SimulatedEvent::occurredAt).thenComparing(SimulatedEvent::eventId));
        return List.copyOf(events);
    }

    private interface Arrival {
        void at(long t);
    }

    /** Poisson arrivals at {@code perDay} over the period. */
    private void arrivals(double perDay, Arrival arrival) {
        arrivals(perDay, to, arrival);
    }

    private void arrivals(double perDay, long until, Arrival arrival) {
        if (perDay <= 0) {
            return;
        }
        double meanGap = DAY / perDay;
        long t = from + (long) exp(meanGap);
        while (t < until) {
            arrival.at(t);
            t += Math.max(1, (long) exp(meanGap));
        }
    }

    // ---- hospital discharge -------------------------------------------------------------------------

    private void dischargeEpisode(long readyAt) {
        long admittedAt = readyAt - HOUR * (12 + (long) exp(4 * 24));
        // Only someone not in hospital (nor in a readmission window) from the admission on.
        Person person = freePerson(admittedAt);
        dischargeEpisode(person, readyAt, randomSite(), 0, admittedAt);
    }

    private String randomSite() {
        return SyntheticCouncil.HOSPITAL_SITES.get(weighted(new double[]{0.45, 0.35, 0.20}));
    }

    private void dischargeEpisode(Person person, long readyAt, String site, int depth, long notAdmittedBefore) {
        // A readmission is admitted after the discharge it follows, never before it.
        long admittedAt = depth == 0 ? notAdmittedBefore : Math.max(readyAt - HOUR * (12 + (long) exp(4 * 24)), notAdmittedBefore);
        DischargePathway pathway = DischargePathway.values()[weighted(new double[]{0.5, 0.3, 0.1, 0.1})];
        double meanDelayDays = switch (pathway) {
            case P0 -> 0.6;
            case P1 -> 3;
            case P2 -> 5;
            default -> 9;
        };
        double delayDays = exp(meanDelayDays) + (random.nextDouble() < 0.05 ? 18 + random.nextInt(20) : 0);
        long endAt = readyAt + (long) (delayDays * DAY);
        DelayReasonFamily reason = DelayReasonFamily.values()[weighted(new double[]{0.25, 0.15, 0.4, 0.1, 0.1})];
        discharge(admittedAt, person, DischargeEventType.ADMITTED, site, null, null, null);
        discharge(readyAt, person, DischargeEventType.DISCHARGE_READY, site, pathway,
                pathway == DischargePathway.P0 && random.nextDouble() < 0.3 ? null : reason, null);
        personBusyUntil.put(person.councilPersonId(), endAt + DAY);
        if (random.nextDouble() < 0.03) {
            discharge(endAt, person, DischargeEventType.EPISODE_CLOSED, site, null, null,
                    random.nextBoolean() ? EpisodeCloseReason.DIED : EpisodeCloseReason.MOVED_TO_ANOTHER_HOSPITAL);
            return;
        }
        discharge(endAt, person, DischargeEventType.DISCHARGED, site, pathway, null, null);
        if (depth == 0 && random.nextDouble() < 0.12) {
            // Failed discharges: readmitted, mostly within 30 days.
            long back = endAt + HOUR + (long) (random.nextDouble() * 40 * DAY);
            long again = back + HOUR * (12 + (long) exp(3 * 24));
            personBusyUntil.put(person.councilPersonId(), again + 30 * DAY);
            dischargeEpisode(person, again, randomSite(), 1, back);
        }
    }

    private void discharge(long t, Person person, DischargeEventType type, String site, DischargePathway pathway,
                           DelayReasonFamily reason, EpisodeCloseReason close) {
        String id = nextId("hd");
        HospitalDischargeEvent e = HospitalDischargeEvent.newBuilder()
                .setEventId(id).setOccurredAt(Instant.ofEpochMilli(t)).setRecordedAt(Instant.ofEpochMilli(t + 5 * MINUTE))
                .setSourceSystem("TOCH-SITREP").setLocalAuthority(SyntheticCouncil.LOCAL_AUTHORITY)
                .setPerson(identifier(person)).setEventType(type).setHospitalSite(site).setPathway(pathway)
                .setDelayReasonFamily(reason)
                .setDelaySubReason(reason == DelayReasonFamily.CAPACITY ? "Capacity - home-based services not yet available (P1)" : null)
                .setCloseReason(close).build();
        events.add(new SimulatedEvent(EventStream.HOSPITAL_DISCHARGE, id, e, t, id));
    }

    // ---- safeguarding -------------------------------------------------------------------------------

    private TypeOfRisk randomRisk() {
        TypeOfRisk[] risks = {TypeOfRisk.NEGLECT_AND_ACTS_OF_OMISSION, TypeOfRisk.PHYSICAL, TypeOfRisk.FINANCIAL_OR_MATERIAL,
                TypeOfRisk.PSYCHOLOGICAL, TypeOfRisk.SELF_NEGLECT, TypeOfRisk.ORGANISATIONAL, TypeOfRisk.DOMESTIC_ABUSE,
                TypeOfRisk.SEXUAL};
        return risks[weighted(new double[]{0.3, 0.2, 0.15, 0.12, 0.1, 0.05, 0.05, 0.03})];
    }

    private void safeguardingConcern(long t, CareHome home, TypeOfRisk risk) {
        boolean atHome = home != null && random.nextDouble() < 0.35;
        LocationOfRisk location = atHome ? (home.nursing() ? LocationOfRisk.CARE_HOME_NURSING : LocationOfRisk.CARE_HOME_RESIDENTIAL)
                : new LocationOfRisk[]{LocationOfRisk.OWN_HOME, LocationOfRisk.IN_THE_COMMUNITY_EXCLUDING_COMMUNITY_SERVICES,
                LocationOfRisk.HOSPITAL_ACUTE, LocationOfRisk.OTHER}[weighted(new double[]{0.7, 0.15, 0.08, 0.07})];
        safeguarding(t, atHome ? home : null, risk, location);
    }

    private void safeguarding(long t, CareHome home, TypeOfRisk risk, LocationOfRisk location) {
        Person person = council.people().get(random.nextInt(council.people().size()));
        String concernId = nextId("sg-concern");
        SafeguardingEvent.Builder received = safeguardingBase(t, person, SafeguardingEventType.CONCERN_RECEIVED, concernId)
                .setTypeOfRisk(risk).setLocationOfRisk(location)
                .setSourceOfRisk(home != null ? SourceOfRisk.SERVICE_PROVIDER : SourceOfRisk.OTHER_KNOWN_TO_INDIVIDUAL)
                .setCqcLocationId(home != null ? home.locationId() : null);
        add(EventStream.SAFEGUARDING, received.build(), t);
        long screenedAt = t + (long) exp(14 * HOUR);
        ScreeningDecision decision = ScreeningDecision.values()[weighted(new double[]{0.3, 0.15, 0.55})];
        add(EventStream.SAFEGUARDING, safeguardingBase(screenedAt, person, SafeguardingEventType.CONCERN_SCREENED, concernId)
                .setScreeningDecision(decision).build(), screenedAt);
        if (decision == ScreeningDecision.SECTION_42_ENQUIRY) {
            long concluded = screenedAt + 10 * DAY + (long) (random.nextDouble() * 30 * DAY);
            add(EventStream.SAFEGUARDING, safeguardingBase(concluded, person, SafeguardingEventType.ENQUIRY_CONCLUDED, concernId)
                    .setRiskAssessmentOutcome(org.safepath.events.RiskAssessmentOutcome.RISK_IDENTIFIED_AND_ACTION_TAKEN)
                    .setRiskOutcome(org.safepath.events.RiskOutcome.RISK_REDUCED).build(), concluded);
        }
    }

    private SafeguardingEvent.Builder safeguardingBase(long t, Person person, SafeguardingEventType type, String concernId) {
        return SafeguardingEvent.newBuilder().setEventId(nextId("sg")).setOccurredAt(Instant.ofEpochMilli(t))
                .setRecordedAt(Instant.ofEpochMilli(t + 20 * MINUTE)).setSourceSystem("MOSAIC")
                .setLocalAuthority(SyntheticCouncil.LOCAL_AUTHORITY).setPerson(identifier(person))
                .setEventType(type).setConcernId(concernId);
    }

    // ---- brokerage ----------------------------------------------------------------------------------

    private void brokerageRequest(long t, CareHome forcedProvider) {
        String requestId = nextId("br-request");
        PackageType type = PackageType.values()[weighted(new double[]{0.55, 0.15, 0.1, 0.12, 0.05, 0.03})];
        BrokerageUrgency urgency = BrokerageUrgency.values()[weighted(new double[]{0.6, 0.3, 0.1})];
        String area = SyntheticCouncil.AREAS.get(random.nextInt(SyntheticCouncil.AREAS.size()));
        add(EventStream.BROKERAGE, brokerageBase(t, requestId, BrokerageEventType.REQUESTED).setPackageType(type)
                .setUrgency(urgency).setArea(area).setForHospitalDischarge(random.nextDouble() < 0.3).build(), t);
        long respondedAt = random.nextDouble() < 0.8 ? sameLondonDay(t) : t + DAY;
        add(EventStream.BROKERAGE, brokerageBase(respondedAt, requestId, BrokerageEventType.RESPONDED).build(), respondedAt);
        if (forcedProvider == null && random.nextDouble() < 0.05) {
            long cancelled = respondedAt + (long) exp(20 * HOUR);
            add(EventStream.BROKERAGE, brokerageBase(cancelled, requestId, BrokerageEventType.CANCELLED).build(), cancelled);
            return;
        }
        long sourcedAt = forcedProvider != null ? respondedAt + HOUR : respondedAt + (long) exp(30 * HOUR);
        CareHome provider = forcedProvider;
        while (provider == null || (forcedProvider == null && provider == suspendedHome && sourcedAt >= suspendedAt)) {
            provider = randomHome();
        }
        add(EventStream.BROKERAGE, brokerageBase(sourcedAt, requestId, BrokerageEventType.SOURCED)
                .setProviderLocationId(provider.locationId()).build(), sourcedAt);
    }

    private long sameLondonDay(long t) {
        LocalDate day = Instant.ofEpochMilli(t).atZone(LONDON).toLocalDate();
        long endOfDay = day.plusDays(1).atStartOfDay(LONDON).toInstant().toEpochMilli() - MINUTE;
        return Math.min(endOfDay, t + (long) (random.nextDouble() * Math.max(MINUTE, endOfDay - t)));
    }

    private BrokerageEvent.Builder brokerageBase(long t, String requestId, BrokerageEventType type) {
        return BrokerageEvent.newBuilder().setEventId(nextId("br")).setOccurredAt(Instant.ofEpochMilli(t))
                .setRecordedAt(Instant.ofEpochMilli(t + 2 * MINUTE)).setSourceSystem("CONTROCC")
                .setLocalAuthority(SyntheticCouncil.LOCAL_AUTHORITY).setPerson(null)
                .setEventType(type).setRequestId(requestId);
    }

    // ---- providers ----------------------------------------------------------------------------------

    private void providerReference() {
        for (CareHome h : council.careHomes()) {
            ProviderReference r = ProviderReference.newBuilder().setLocationId(h.locationId()).setProviderId(h.providerId())
                    .setName(h.name()).setLocalAuthority(h.localAuthority())
                    .setServiceType(h.nursing() ? "Care home with nursing" : "Care home without nursing")
                    .setBeds(h.beds()).setCqcOverall(h.rating()).setCqcSafe(h.rating()).setPammsRating(h.pamms())
                    .setCareStaff(h.careStaff()).setSponsoredWorkers(h.sponsoredWorkers()).setLinkWorker(h.linkWorker())
                    .setUpdatedAt(Instant.ofEpochMilli(from)).build();
            events.add(new SimulatedEvent(EventStream.PROVIDER_REFERENCE, h.locationId(), r, from, "ref-" + h.locationId()));
        }
    }

    private void providerConcern(long t, CareHome home, ProviderConcernKind kind, boolean closesLater) {
        String concernId = nextId("pc-concern");
        add(EventStream.PROVIDER_CONCERNS, providerBase(t, home, concernId, kind, false).build(), t);
        if (closesLater) {
            long closed = t + 10 * DAY + (long) (random.nextDouble() * 30 * DAY);
            add(EventStream.PROVIDER_CONCERNS, providerBase(closed, home, concernId, kind, true).build(), closed);
        }
    }

    private ProviderConcernEvent.Builder providerBase(long t, CareHome home, String concernId, ProviderConcernKind kind, boolean closed) {
        return ProviderConcernEvent.newBuilder().setEventId(nextId("pc")).setOccurredAt(Instant.ofEpochMilli(t))
                .setRecordedAt(Instant.ofEpochMilli(t + 30 * MINUTE)).setSourceSystem("PROVIDER-PORTAL")
                .setLocalAuthority(SyntheticCouncil.LOCAL_AUTHORITY).setProviderLocationId(home.locationId())
                .setConcernId(concernId).setKind(kind).setClosed(closed);
    }

    // ---- care journey -------------------------------------------------------------------------------

    private void careRequest(long t) {
        Person person = council.people().get(random.nextInt(council.people().size()));
        String team = SyntheticCouncil.TEAMS.get(random.nextInt(SyntheticCouncil.TEAMS.size()));
        add(EventStream.CARE_JOURNEY, careBase(t, person, CareJourneyEventType.REQUEST_RECEIVED).setTeam(team)
                .setRouteOfAccess(RouteOfAccess.values()[weighted(new double[]{0.03, 0.25, 0.05, 0.6, 0.01, 0.02, 0.03, 0.01})])
                .build(), t);
        if (random.nextDouble() < 0.4) {
            String waitId = nextId("wait");
            WaitPriority priority = WaitPriority.values()[weighted(new double[]{0.15, 0.45, 0.4})];
            WaitingFor waitingFor = WaitingFor.values()[weighted(new double[]{0.5, 0.25, 0.1, 0.15})];
            long added = t + HOUR;
            add(EventStream.CARE_JOURNEY, careBase(added, person, CareJourneyEventType.ADDED_TO_WAITING_LIST)
                    .setWaitId(waitId).setTeam(team).setPriority(priority).setWaitingFor(waitingFor).build(), added);
            long removed = added + (long) exp(35 * DAY);
            if (random.nextDouble() < 0.15) {
                // Re-triaged while waiting: the wait moves to the new priority's row, still measured from when it was added.
                long changed = added + (long) (random.nextDouble() * (removed - added));
                WaitPriority now = WaitPriority.values()[(priority.ordinal() + 1 + random.nextInt(2)) % 3];
                add(EventStream.CARE_JOURNEY, careBase(changed, person, CareJourneyEventType.PRIORITY_CHANGED)
                        .setWaitId(waitId).setTeam(team).setPriority(now).build(), changed);
            }
            add(EventStream.CARE_JOURNEY, careBase(removed, person, CareJourneyEventType.REMOVED_FROM_WAITING_LIST)
                    .setWaitId(waitId).setTeam(team).setWaitingFor(waitingFor).setRemovalReason("Assessment allocated").build(), removed);
            if (waitingFor == WaitingFor.FIRST_ASSESSMENT) {
                long assessed = removed + (long) exp(10 * DAY);
                add(EventStream.CARE_JOURNEY, careBase(assessed, person, CareJourneyEventType.ASSESSMENT_COMPLETED)
                        .setTeam(team).build(), assessed);
                if (random.nextDouble() < 0.4) {
                    // A care home placement: about one in seven in a home in another council's area.
                    CareHome home = random.nextDouble() < 0.15 ? randomHomeOutOfArea() : randomHomeInArea();
                    placement(person, team, home, assessed + (long) exp(7 * DAY), 200 * DAY);
                }
            }
        }
    }

    /**
     * A long-term care home service for the person, ended after about {@code meanStay} (or after the period); none if
     * the person is still in a home then (someone drawn for a second journey while the first one's stay goes on).
     */
    private void placement(Person person, String team, CareHome home, long startedAt, long meanStay) {
        ServiceType type = home.nursing() ? ServiceType.LONG_TERM_SUPPORT_NURSING_CARE : ServiceType.LONG_TERM_SUPPORT_RESIDENTIAL_CARE;
        long endedAt = startedAt + (long) exp(meanStay);
        Long placedUntil = personPlacedUntil.get(person.councilPersonId());
        if (placedUntil != null && placedUntil > startedAt) {
            return;
        }
        personPlacedUntil.put(person.councilPersonId(), endedAt);
        add(EventStream.CARE_JOURNEY, careBase(startedAt, person, CareJourneyEventType.SERVICE_STARTED).setTeam(team)
                .setServiceType(type).setProviderLocationId(home.locationId()).setProviderLocalAuthority(home.localAuthority()).build(),
                startedAt);
        add(EventStream.CARE_JOURNEY, careBase(endedAt, person, CareJourneyEventType.SERVICE_ENDED).setTeam(team)
                .setServiceType(type).setProviderLocationId(home.locationId()).setProviderLocalAuthority(home.localAuthority()).build(),
                endedAt);
    }

    // ---- transitions --------------------------------------------------------------------------------

    /**
     * A young person identified by children's services at 14 to 17, born in the month that makes them that old; most
     * get an adult request before 17.5 and an adult assessment before 18, some late, a few never.
     */
    private void transitionIdentified(long t) {
        LocalDate today = Instant.ofEpochMilli(t).atZone(LONDON).toLocalDate();
        LocalDate born = today.minusMonths(14 * 12 + random.nextInt(4 * 12)).withDayOfMonth(1);
        Person young = new Person(council.uniqueNhsNumber(random), "P-YP-" + nextId("yp"), born.getYear(), born.getMonthValue());
        add(EventStream.CARE_JOURNEY, careBase(t, young, CareJourneyEventType.TRANSITION_IDENTIFIED).setTeam(TRANSITIONS_TEAM)
                .setBirthYear(born.getYear()).setBirthMonth(born.getMonthValue()).build(), t);
        long seventeen = born.plusYears(17).atStartOfDay(LONDON).toInstant().toEpochMilli();
        long eighteen = born.plusYears(18).atStartOfDay(LONDON).toInstant().toEpochMilli();
        if (random.nextDouble() < 0.9) {
            long requested = Math.max(t + DAY, seventeen + (long) (random.nextDouble() * 8 * 30 * DAY));
            add(EventStream.CARE_JOURNEY, careBase(requested, young, CareJourneyEventType.REQUEST_RECEIVED).setTeam(TRANSITIONS_TEAM)
                    .setRouteOfAccess(RouteOfAccess.PLANNED_ENTRY_TRANSITION).build(), requested);
            if (random.nextDouble() < 0.85) {
                long assessed = Math.min(Math.max(requested + 14 * DAY, eighteen - 60 * DAY), eighteen - DAY);
                add(EventStream.CARE_JOURNEY, careBase(Math.max(assessed, requested + HOUR), young, CareJourneyEventType.ASSESSMENT_COMPLETED)
                        .setTeam(TRANSITIONS_TEAM).build(), Math.max(assessed, requested + HOUR));
            }
        }
    }

    private CareJourneyEvent.Builder careBase(long t, Person person, CareJourneyEventType type) {
        return CareJourneyEvent.newBuilder().setEventId(nextId("cj")).setOccurredAt(Instant.ofEpochMilli(t))
                .setRecordedAt(Instant.ofEpochMilli(t + 10 * MINUTE)).setSourceSystem("MOSAIC")
                .setLocalAuthority(SyntheticCouncil.LOCAL_AUTHORITY).setPerson(identifier(person)).setEventType(type);
    }

    // ---- planted situations -------------------------------------------------------------------------

    private void planted() {
        CareHome neglectHome = council.careHomes().get(7);
        long themeStart = from + Math.min(20 * DAY, (to - from) / 3);
        for (int i = 0; i < 4; i++) {
            safeguarding(themeStart + i * 4 * DAY + i * HOUR, neglectHome, TypeOfRisk.NEGLECT_AND_ACTS_OF_OMISSION,
                    neglectHome.nursing() ? LocationOfRisk.CARE_HOME_NURSING : LocationOfRisk.CARE_HOME_RESIDENTIAL);
        }
        providerConcern(suspendedAt, suspendedHome, ProviderConcernKind.SUSPENSION_STARTED, false);
        brokerageRequest(suspendedAt + 5 * DAY, suspendedHome);

        // Turns 18 part-way through the period, identified by children's services, never assessed as an adult.
        LocalDate eighteenth = Instant.ofEpochMilli(from + Math.min(40 * DAY, (to - from) * 2 / 3)).atZone(LONDON).toLocalDate();
        Person young = new Person(council.uniqueNhsNumber(random), "P-YP-" + seed, eighteenth.getYear() - 18, eighteenth.getMonthValue());
        long identified = from + DAY;
        add(EventStream.CARE_JOURNEY, careBase(identified, young, CareJourneyEventType.TRANSITION_IDENTIFIED)
                .setTeam(TRANSITIONS_TEAM).setBirthYear(young.birthYear()).setBirthMonth(young.birthMonth()).build(), identified);

        // Waiting well: a person on the North Locality's list for a first assessment is admitted to hospital while waiting.
        long waitAdded = from + Math.min(15 * DAY, (to - from) / 6);
        long admitted = waitAdded + Math.min(10 * DAY, (to - from) / 8);
        Person waiting = freePerson(waitAdded);
        personBusyUntil.put(waiting.councilPersonId(), to + 60 * DAY);
        String waitId = nextId("wait");
        add(EventStream.CARE_JOURNEY, careBase(waitAdded, waiting, CareJourneyEventType.ADDED_TO_WAITING_LIST).setWaitId(waitId)
                .setTeam("North Locality").setPriority(WaitPriority.MEDIUM).setWaitingFor(WaitingFor.FIRST_ASSESSMENT).build(), waitAdded);
        discharge(admitted, waiting, DischargeEventType.ADMITTED, SyntheticCouncil.HOSPITAL_SITES.get(0), null, null, null);
        discharge(admitted + 2 * DAY, waiting, DischargeEventType.DISCHARGE_READY, SyntheticCouncil.HOSPITAL_SITES.get(0),
                DischargePathway.P1, DelayReasonFamily.CAPACITY, null);
        discharge(admitted + 5 * DAY, waiting, DischargeEventType.DISCHARGED, SyntheticCouncil.HOSPITAL_SITES.get(0),
                DischargePathway.P1, null, null);
        add(EventStream.CARE_JOURNEY, careBase(admitted + 40 * DAY, waiting, CareJourneyEventType.REMOVED_FROM_WAITING_LIST)
                .setWaitId(waitId).setTeam("North Locality").setWaitingFor(WaitingFor.FIRST_ASSESSMENT)
                .setRemovalReason("Assessment allocated").build(), admitted + 40 * DAY);

        // News at a host provider: two people placed by the Learning Disability Team in a home in another council's
        // area, then a safeguarding concern there that the host council would not have passed on.
        CareHome host = council.careHomes().get(11);
        long placed = from + Math.min(5 * DAY, (to - from) / 10);
        for (int i = 0; i < 2; i++) {
            placement(council.people().get(random.nextInt(council.people().size())), "Learning Disability Team", host,
                    placed + i * 3 * DAY, 400 * DAY);
        }
        safeguarding(from + Math.min(35 * DAY, (to - from) / 2) + 2 * HOUR, host, TypeOfRisk.PHYSICAL,
                host.nursing() ? LocationOfRisk.CARE_HOME_NURSING : LocationOfRisk.CARE_HOME_RESIDENTIAL);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private Person freePerson(long busyCheck) {
        for (int tries = 0; tries < 50; tries++) {
            Person p = council.people().get(random.nextInt(council.people().size()));
            Long busy = personBusyUntil.get(p.councilPersonId());
            if (busy == null || busy < busyCheck) {
                return p;
            }
        }
        throw new IllegalStateException("No one free for a hospital episode: the population is too small for the rates");
    }

    private CareHome randomHome() {
        return council.careHomes().get(random.nextInt(council.careHomes().size()));
    }

    private CareHome randomHomeInArea() {
        CareHome h;
        do {
            h = randomHome();
        } while (!h.localAuthority().equals(SyntheticCouncil.LOCAL_AUTHORITY));
        return h;
    }

    private CareHome randomHomeOutOfArea() {
        CareHome h;
        do {
            h = randomHome();
        } while (h.localAuthority().equals(SyntheticCouncil.LOCAL_AUTHORITY));
        return h;
    }

    private static PersonIdentifier identifier(Person p) {
        return PersonIdentifier.newBuilder().setNhsNumber(p.nhsNumber()).setCouncilPersonId(p.councilPersonId()).build();
    }

    private void add(EventStream stream, org.apache.avro.specific.SpecificRecord record, long t) {
        String id = record.get(0).toString();
        events.add(new SimulatedEvent(stream, id, record, t, id));
    }

    private String nextId(String prefix) {
        return prefix + "-" + seed + "-" + (++sequence);
    }

    private double exp(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    private int weighted(double[] weights) {
        double r = random.nextDouble() * java.util.Arrays.stream(weights).sum();
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
