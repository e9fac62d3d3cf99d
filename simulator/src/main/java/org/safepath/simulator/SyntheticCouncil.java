package org.safepath.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.safepath.events.CqcRating;
import org.safepath.events.PammsRating;

/** The fixed parts of the synthetic council: its people, hospital sites and care homes, all from one seed. */
public final class SyntheticCouncil {

    public static final String LOCAL_AUTHORITY = "E06000054";
    public static final List<String> HOSPITAL_SITES = List.of("RNZ02", "RD130", "RN325");
    public static final List<String> NEIGHBOURS = List.of("E06000022", "E10000008", "E06000026");
    public static final List<String> TEAMS = List.of("Front Door", "North Locality", "South Locality", "West Locality",
            "Hospital Team", "Learning Disability Team");
    public static final List<String> AREAS = List.of("North", "South", "West", "East", "Central");
    public static final List<String> LINK_WORKERS = List.of("link-north@council.example", "link-south@council.example",
            "link-west@council.example", "link-east@council.example", "link-central@council.example");

    /** A person known to the council, with the identifiers source systems use in clear (the NHS number may be null). */
    public record Person(String nhsNumber, String councilPersonId, int birthYear, int birthMonth) {
    }

    /** A care provider location with its CQC id and reference data. */
    public record CareHome(String locationId, String providerId, String name, String localAuthority, boolean nursing,
                           int beds, CqcRating rating, PammsRating pamms, int careStaff, int sponsoredWorkers,
                           String linkWorker, String area) {
    }

    private final List<Person> people = new ArrayList<>();
    private final List<CareHome> careHomes = new ArrayList<>();
    private final Set<String> nhsNumbersGiven = new HashSet<>();

    public SyntheticCouncil(long seed, int population, int careHomeCount) {
        Random random = new Random(seed);
        for (int i = 0; i < population; i++) {
            int age = 18 + random.nextInt(80);
            people.add(new Person(uniqueNhsNumber(random), "P" + (100000 + i), 2026 - age, 1 + random.nextInt(12)));
        }
        String[] names = {"Willow", "Oak", "Meadow", "River", "Beech", "Orchard", "Heather", "Linden", "Ash", "Cedar"};
        String[] kinds = {"House", "Lodge", "Court", "Manor", "View"};
        for (int i = 0; i < careHomeCount; i++) {
            boolean outOfArea = i % 12 == 11;
            int r = random.nextInt(100);
            CqcRating rating = r < 4 ? CqcRating.INADEQUATE : r < 22 ? CqcRating.REQUIRES_IMPROVEMENT
                    : r < 30 ? CqcRating.OUTSTANDING : CqcRating.GOOD;
            int p = random.nextInt(100);
            PammsRating pamms = p < 5 ? PammsRating.POOR : p < 25 ? PammsRating.REQUIRES_IMPROVEMENT
                    : p < 40 ? PammsRating.EXCELLENT : PammsRating.GOOD;
            int beds = 20 + random.nextInt(70);
            int staff = beds + random.nextInt(beds);
            careHomes.add(new CareHome(
                    "1-" + (1_000_000_000L + random.nextInt(900_000_000)),
                    "1-" + (100_000_000L + random.nextInt(900_000_000)),
                    names[i % names.length] + " " + kinds[(i / names.length) % kinds.length] + (i >= 50 ? " " + (i / 50 + 1) : ""),
                    outOfArea ? NEIGHBOURS.get(i % NEIGHBOURS.size()) : LOCAL_AUTHORITY,
                    random.nextBoolean(), beds, rating, pamms, staff, random.nextInt(staff / 2 + 1),
                    LINK_WORKERS.get(i % LINK_WORKERS.size()), AREAS.get(i % AREAS.size())));
        }
    }

    /**
     * An NHS number no one else in this council has, or null: the test range holds about 909,000 valid numbers, so a
     * person who draws one already given has none and is known by the council person id only, as people whose NHS
     * number a council has not verified are (about 2 % of a county's 40,000; most of a region's millions).
     */
    public String uniqueNhsNumber(Random random) {
        String n = nhsNumber(random);
        return nhsNumbersGiven.add(n) ? n : null;
    }

    /**
     * A valid NHS number in the range NHS England keeps for test data (starting 999, never issued to a patient):
     * nine digits and their modulus-11 check digit (nine digits giving 10 are skipped).
     */
    public static String nhsNumber(Random random) {
        while (true) {
            int[] d = new int[9];
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                d[i] = i < 3 ? 9 : random.nextInt(10);
                sum += d[i] * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check == 10) {
                continue;
            }
            StringBuilder s = new StringBuilder();
            for (int x : d) {
                s.append(x);
            }
            return s.append(check).toString();
        }
    }

    public List<Person> people() {
        return people;
    }

    public List<CareHome> careHomes() {
        return careHomes;
    }
}
