package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.IndicatorDocuments;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.dashboards.DashboardServer;
import org.safepath.infra.EmbeddedStack;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, through Selenium), served
 * against the shared stack's Elasticsearch, over a council of its own whose figures are set by hand here: each view
 * loads, its numbers are the hand-computed ones, charts are drawn with a table of their numbers, the board view
 * suppresses and rounds, CSV downloads carry the same numbers, an alert is acknowledged from the page, the views are
 * reached by keyboard, and an Elasticsearch that does not answer is said at the top in words.
 */
class DashboardIT {

    /** A council code no other test uses. */
    private static final String LA = "E06000099";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedStack stack;
    private static RestClientTransport transport;
    private static DashboardServer dashboard;
    private static WebDriver browser;
    private static final Instant NOW = Instant.now();
    /** An alert of this run's own (an acknowledgement stands for good, and the stack's data may outlive a run). */
    private static final String ALERT = "dash-alert-" + NOW.toEpochMilli();

    @BeforeAll
    static void aCouncilAndABrowser() throws Exception {
        stack = SharedStack.get();
        transport = ElasticsearchClients.transport(ElasticsearchSettings.of(stack.elasticsearchUrl()));
        SafePathIndices.install(transport, IndicatorCatalogue.defaults());
        long asOf = NOW.minus(2, ChronoUnit.MINUTES).toEpochMilli();
        List<IndexOperation> docs = new ArrayList<>();
        // Hospital discharge: site RXA01 has 3 (P1) + 4 (P3) = 7 in a bed, its all-pathways row 7; site RXB02 has 12 (P1), all 12.
        docs.add(current("discharge.nctr_in_bed", Map.of("hospital_site", "RXA01", "pathway", "P1"), 3, "NONE", asOf));
        docs.add(current("discharge.nctr_in_bed", Map.of("hospital_site", "RXA01", "pathway", "P3"), 4, "NONE", asOf));
        docs.add(current("discharge.nctr_in_bed", Map.of("hospital_site", "RXA01", "pathway", "ALL"), 7, "NONE", asOf));
        docs.add(current("discharge.nctr_in_bed", Map.of("hospital_site", "RXB02", "pathway", "P1"), 12, "NONE", asOf));
        docs.add(current("discharge.nctr_in_bed", Map.of("hospital_site", "RXB02", "pathway", "ALL"), 12, "NONE", asOf));
        docs.add(current("discharge.nctr_delay_21_plus", Map.of("hospital_site", "RXA01", "pathway", "ALL"), 2, "AMBER", asOf));
        // Its history: 24 hours ago 5 + 10 = 15 in a bed.
        long dayBefore = NOW.truncatedTo(ChronoUnit.HOURS).minus(24, ChronoUnit.HOURS).toEpochMilli();
        docs.add(IndicatorDocuments.history(value("discharge.nctr_in_bed", Map.of("hospital_site", "RXA01", "pathway", "ALL"), 5, "NONE", dayBefore)));
        docs.add(IndicatorDocuments.history(value("discharge.nctr_in_bed", Map.of("hospital_site", "RXB02", "pathway", "ALL"), 10, "NONE", dayBefore)));
        docs.add(IndicatorDocuments.history(value("discharge.nctr_in_bed", Map.of("hospital_site", "RXA01", "pathway", "P1"), 5, "NONE", dayBefore)));
        // Waiting: 3 people at high priority (board view: [c]), 12 at medium (board view: 10).
        docs.add(current("waiting.people_waiting", Map.of("team", "North Locality", "waiting_for", "ASSESSMENT", "priority", "HIGH"), 3, "NONE", asOf));
        docs.add(current("waiting.people_waiting", Map.of("team", "North Locality", "waiting_for", "ASSESSMENT", "priority", "MEDIUM"), 12, "NONE", asOf));
        docs.add(current("waiting.people_waiting", Map.of("team", "South Locality", "waiting_for", "REVIEW", "priority", "HIGH"), 7, "NONE", asOf));
        // Two providers: the riskier first.
        docs.add(IndicatorDocuments.current(new IndicatorDocuments.Value("provider.risk_score", Map.of("local_authority", LA,
                "provider_location_id", "1-900000001"), 20, "score", "GREEN", false, asOf, Map.of("cqc_rating", 20.0))));
        docs.add(IndicatorDocuments.current(new IndicatorDocuments.Value("provider.risk_score", Map.of("local_authority", LA,
                "provider_location_id", "1-900000002"), 70, "score", "RED", false, asOf, Map.of("cqc_rating", 40.0, "open_quality_concerns", 30.0))));
        // A figure in each of the other views, so every view has something to draw (and to photograph).
        docs.add(org.safepath.connectors.elasticsearch.NameDocuments.of(org.safepath.connectors.elasticsearch.NameDocuments.CQC_LOCATION,
                "1-900000002", "Elm Court", LA, asOf));
        docs.add(current("safeguarding.concerns_90d", Map.of("cqc_location_id", "1-900000002", "type_of_risk", "NEGLECT",
                "location_of_risk", "CARE_HOME"), 6, "NONE", asOf));
        docs.add(current("safeguarding.concerns_90d", Map.of("cqc_location_id", "1-900000001", "type_of_risk", "FINANCIAL",
                "location_of_risk", "OWN_HOME"), 2, "NONE", asOf));
        docs.add(current("safeguarding.care_home_theme", Map.of("cqc_location_id", "1-900000002", "type_of_risk", "NEGLECT"), 6, "RED", asOf));
        docs.add(IndicatorDocuments.current(new IndicatorDocuments.Value("brokerage.open_requests", Map.of("local_authority", LA,
                "package_type", "HOME_CARE", "urgency", "URGENT", "area", "North"), 9, "requests", "NONE", false, asOf, null)));
        docs.add(IndicatorDocuments.current(new IndicatorDocuments.Value("brokerage.open_requests", Map.of("local_authority", LA,
                "package_type", "HOME_CARE", "urgency", "URGENT", "area", "South"), 4, "requests", "NONE", false, asOf, null)));
        docs.add(current("transitions.tracked", Map.of(), 14, "NONE", asOf));
        docs.add(IndicatorDocuments.history(value("transitions.tracked", Map.of(), 11, "NONE", dayBefore)));
        docs.add(IndicatorDocuments.history(value("provider.open_concerns", Map.of("provider_location_id", "1-900000002"), 2, "NONE", dayBefore)));
        docs.add(current("placements.out_of_area", Map.of("host_local_authority", "E06000054"), 8, "NONE", asOf));
        docs.add(current("placements.out_of_area", Map.of("host_local_authority", "E10000003"), 5, "NONE", asOf));
        var bulk = new StringBuilder();
        for (IndexOperation op : docs) {
            bulk.append("{\"index\":{\"_index\":\"").append(op.index()).append("\",\"_id\":\"").append(op.id()).append("\"}}\n")
                    .append(op.sourceAsString()).append('\n');
        }
        Elastic.request(stack.elasticsearchUrl(), "POST", "/_bulk?refresh=true", bulk.toString());
        Elastic.request(stack.elasticsearchUrl(), "PUT", "/" + SafePathIndices.ALERTS + "/_doc/" + ALERT + "?refresh=true",
                "{\"alert_id\":\"" + ALERT + "\",\"rule\":\"provider.risk_score\",\"severity\":\"HIGH\",\"subject_kind\":\"provider\","
                        + "\"subject_id\":\"1-900000002\",\"subject_name\":\"Elm Court\",\"audience\":\"market_oversight\","
                        + "\"evidence_counts\":{\"score\":70},\"raised_at\":\"" + NOW.minus(1, ChronoUnit.HOURS) + "\"}");

        // The council's names for its codes, loaded as a council would (safepath names); RXA01 is left unnamed.
        Path names = Files.createTempFile("names", ".csv");
        Files.writeString(names, "kind,code,name\nods_site,RXB02,Test General Hospital\n");
        assertThat(org.safepath.app.SafePath.execute("names", "--file", names.toString(), "--elasticsearch", stack.elasticsearchUrl()))
                .as("safepath names").isZero();

        dashboard = DashboardServer.start(0, stack.elasticsearchUrl());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Path.of("/usr/bin/chromium").toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        transport.close();
    }

    private static IndicatorDocuments.Value value(String indicator, Map<String, String> dims, double v, String rag, long asOf) {
        Map<String, String> d = new java.util.TreeMap<>(dims);
        d.put("local_authority", LA);
        return new IndicatorDocuments.Value(indicator, d, v, "people", rag, true, asOf, null);
    }

    private static IndexOperation current(String indicator, Map<String, String> dims, double v, String rag, long asOf) {
        return IndicatorDocuments.current(value(indicator, dims, v, rag, asOf));
    }

    /** Opens a view for the test's council and waits until the page says it has drawn it. */
    private static void open(String view, boolean board) {
        browser.get(dashboard.url() + "#" + view);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> d.findElements(By.cssSelector("#f-la option[value='" + LA + "']")).size() == 1);
        new Select(browser.findElement(By.id("f-la"))).selectByValue(LA);
        WebElement boardBox = browser.findElement(By.id("f-board"));
        if (boardBox.isSelected() != board) {
            boardBox.click();
        }
        // The page marks what it last drew (the view and its filters): wait for this view with these filters.
        String state = "#" + view + "|" + LA + "|30|" + (board ? "board" : "");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> state.equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
    }

    private static void waitForView(String view) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> view.equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
    }

    /** A tile's text, read in one go (the page redraws itself every few seconds). */
    private static String tile(String title) {
        String text = (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const t = [...document.querySelectorAll('.tile')].find(t => t.querySelector('.t').innerText === arguments[0]);"
                        + " return t ? t.innerText : null;", title);
        if (text == null) {
            throw new AssertionError("No tile '" + title + "' on the page");
        }
        return text;
    }

    /** The row of a table whose first cells read these (read in one go: the page redraws itself every few seconds). */
    @SuppressWarnings("unchecked")
    private static List<String> row(String... first) {
        List<List<String>> rows = (List<List<String>>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#view table tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()));");
        for (List<String> cells : rows) {
            if (cells.size() >= first.length && cells.subList(0, first.length).equals(List.of(first))) {
                return cells;
            }
        }
        throw new AssertionError("No row " + List.of(first) + " on the page among " + rows);
    }

    /** The page's text, read in one go. */
    private static String text(String id) {
        return (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.getElementById(arguments[0]).innerText;", id);
    }

    @Test
    void theOverviewTotalsTheSitesOnceAndSaysWhatChangedInADay() {
        open("overview", false);
        // 7 at RXA01 + 12 at RXB02 (the all-pathways rows; the per-pathway rows are not added again).
        assertThat(tile("People with no criteria to reside still in a bed")).startsWith("19").contains("24 hours ago: 15");
        assertThat(text("view")).contains("People with no criteria to reside still in a bed: 15 → 19");
        assertThat(tile("No criteria to reside 21+ days")).contains("1 amber");
    }

    @Test
    void theDischargeViewHasItsChartsWithTheirNumbersAndEveryStatusInWords() {
        open("discharge", false);
        assertThat((Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll('#view canvas').length;")).as("a trend and a chart by site").isGreaterThanOrEqualTo(2);
        List<String> rxa = row("RXA01", "All pathways");
        assertThat(rxa.get(2)).isEqualTo("7");
        assertThat(rxa.get(5)).as("21+ days, with its status written out").isEqualTo("2 Amber");
        assertThat(row("RXA01", "P3 care home").get(2)).isEqualTo("4");
        assertThat(row("RXA01", "P3 care home").get(3)).as("a value never written is missing, not 0").isEqualTo("–");
        assertThat(row("Test General Hospital (RXB02)", "All pathways").get(2)).as("a site the council named, by its name beside its code")
                .isEqualTo("12");
        // The trend's table: 24 hours ago the sites' all-pathways rows held 5 + 10.
        assertThat((String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.querySelector('#view details').innerHTML;")).contains("<td>15</td>");
    }

    @Test
    void theBoardViewSuppressesSmallCountsAndRoundsTheRestOnThePageAndInTheCsv() throws Exception {
        open("waiting", true);
        assertThat(browser.findElement(By.id("board-note")).isDisplayed()).isTrue();
        assertThat(row("North Locality", "Assessment", "High").get(3)).isEqualTo("[c]");
        assertThat(row("North Locality", "Assessment", "Medium").get(3)).isEqualTo("10");
        assertThat(text("view")).doesNotContain("\n3\n").doesNotContain("\t3\t");
        String csvHref = browser.findElements(By.linkText("Download CSV")).stream().map(a -> a.getAttribute("href"))
                .filter(h -> h.contains("waiting.people_waiting")).findFirst().orElseThrow();
        String csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(csvHref)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("indicator,title,");
        // The council has no name in this test's names: its name column is empty.
        assertThat(csv).contains(LA + ",,North Locality,ASSESSMENT,HIGH,[c],people").contains(LA + ",,North Locality,ASSESSMENT,MEDIUM,10,people")
                .doesNotContain(",3,people").doesNotContain(",12,people");

        open("waiting", false);
        assertThat(row("North Locality", "Assessment", "High").get(3)).as("operational view: exact").isEqualTo("3");
    }

    @Test
    void theTeamFilterNarrowsTheWaitingListsAndIsOfferedOnlyWhereThereAreTeams() {
        open("discharge", false);
        assertThat(browser.findElement(By.id("f-team")).isDisplayed()).as("no team filter on hospital discharge").isFalse();
        open("waiting", false);
        assertThat(row("South Locality", "Review", "High").get(3)).isEqualTo("7");
        new Select(browser.findElement(By.id("f-team"))).selectByValue("North Locality");
        String state = "#waiting|" + LA + "|30||team=North Locality";
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> state.equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
        assertThat(row("North Locality", "Assessment", "High").get(3)).isEqualTo("3");
        assertThatThrownBy(() -> row("South Locality")).as("the other team's rows are gone").isInstanceOf(AssertionError.class);
        new Select(browser.findElement(By.id("f-team"))).selectByValue("");
    }

    @Test
    void aNewFigureShowsOnAnOpenPageWithoutAReload() throws Exception {
        open("waiting", false);
        Object page = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;");
        IndexOperation op = current("waiting.people_waiting", Map.of("team", "East Locality", "waiting_for", "REVIEW", "priority", "LOW"), 8,
                "NONE", Instant.now().toEpochMilli());
        Elastic.request(stack.elasticsearchUrl(), "PUT", "/" + op.index() + "/_doc/" + op.id() + "?refresh=true", op.sourceAsString());
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until && !text("view").contains("East Locality")) {
            Thread.sleep(500);
        }
        assertThat(row("East Locality", "Review", "Low").get(3)).isEqualTo("8");
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin;"))
                .as("the same page, not reloaded").isEqualTo(page);
    }

    @Test
    void marketOversightListsProvidersByRiskAndOneProvidersPageHasItsAlert() {
        open("provider", false);
        List<WebElement> links = browser.findElements(By.cssSelector("#view table tbody tr td:first-child a"));
        // A care home the reference data names is shown by its name beside its code; one it does not, by its code.
        assertThat(links.get(0).getText()).isEqualTo("Elm Court (1-900000002)");
        assertThat(links.get(1).getText()).isEqualTo("1-900000001");
        assertThat(row("Elm Court (1-900000002)").get(1)).isEqualTo("70 Red");
        links.get(0).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("view-title")).getText()
                .equals("Provider Elm Court (1-900000002)"));
        // The provider's page drawn (the list names the provider too, so wait for the page's own state).
        String page = "#provider/1-900000002|" + LA + "|30|";
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> page.equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
        assertThat(text("view")).contains("Elm Court").contains("Risk score 70 = cqc rating 40 + open quality concerns 30");
        // National code list values read as words on the safeguarding view.
        open("safeguarding", false);
        assertThat(row("Elm Court (1-900000002)", "Neglect", "Care home")).endsWith("6");
    }

    @Test
    void anAlertIsAcknowledgedFromThePageAndShowsWhoDidIt() {
        browser.get(dashboard.url() + "#alerts");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> String.valueOf(d.findElement(By.tagName("body")).getAttribute("data-state"))
                .startsWith("#alerts|"));
        browser.findElement(By.id("ack-by")).sendKeys("Market oversight lead");
        browser.findElement(By.cssSelector("tr[data-alert='" + ALERT + "'] button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("ack-msg")).getText()
                .equals("Alert " + ALERT + " acknowledged by Market oversight lead."));
        browser.get(dashboard.url() + "#alerts/all");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> String.valueOf(d.findElement(By.tagName("body")).getAttribute("data-state"))
                .startsWith("#alerts/all|"));
        assertThat((String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.querySelector(\"tr[data-alert='" + ALERT + "']\").innerText;")).contains("Market oversight lead");
    }

    /**
     * Every view loads for the council, draws its charts, has no WCAG 2.2 AA violation that axe-core finds, and is
     * photographed under target/dashboard-screenshots/ (the closing note links them).
     */
    @Test
    void everyViewLoadsDrawsItsChartsPassesAnAccessibilityScanAndIsPhotographed() throws Exception {
        Path shots = Path.of("target", "dashboard-screenshots");
        java.nio.file.Files.createDirectories(shots);
        List<String> violations = new ArrayList<>();
        for (String view : List.of("overview", "discharge", "safeguarding", "provider", "waiting", "brokerage", "transitions", "placements",
                "alerts")) {
            open(view, false);
            java.nio.file.Files.write(shots.resolve(view + ".png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            if (!view.equals("overview") && !view.equals("alerts")) {
                assertThat((Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                        "return [...document.querySelectorAll('#view canvas')].filter(c => c.width > 0 && c.height > 0).length;"))
                        .as("%s draws its charts", view).isPositive();
            }
            com.deque.html.axecore.results.Results scan = new com.deque.html.axecore.selenium.AxeBuilder()
                    .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")).analyze(browser);
            assertThat(scan.isErrored()).as("%s: axe-core ran (%s)", view, scan.getErrorMessage()).isFalse();
            assertThat(scan.getPasses()).as("%s: axe-core checked something", view).isNotEmpty();
            scan.getViolations().forEach(v -> violations.add(view + ": " + v.getId() + " (" + v.getImpact() + ") " + v.getHelp() + " at "
                    + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).limit(3).toList()));
        }
        assertThat(violations).as("WCAG 2.2 AA violations found by axe-core").isEmpty();
    }

    @Test
    void everyViewIsReachedByKeyboard() {
        browser.get(dashboard.url() + "#overview");
        waitForView("overview");
        browser.navigate().refresh(); // focus starts at the top of a freshly loaded page
        waitForView("overview");
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            reached.add(focused.getText());
            if (focused.getText().equals("Waiting lists")) {
                new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.ENTER).perform();
                break;
            }
        }
        assertThat(reached).contains("Skip to the figures", "Overview", "Hospital discharge", "Waiting lists");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("view-title")).getText().equals("Waiting lists"));
    }

    @Test
    void anElasticsearchThatDoesNotAnswerIsSaidAtTheTopInWords() throws Exception {
        int dead = org.safepath.infra.LoopbackPorts.free();
        try (DashboardServer blind = DashboardServer.start(0, "http://127.0.0.1:" + dead)) {
            browser.get(blind.url() + "#overview");
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElement(By.id("status")).getText().contains("Elasticsearch is not answering"));
            assertThat(browser.findElement(By.id("status")).getText()).contains("connection refused")
                    .contains("Ask the platform team to check that Elasticsearch is running").doesNotContain("null");
        }
    }

    /** {@code safepath query}, as a performance team runs it: the same numbers as the page, current and over time. */
    @Test
    void theQueryCommandAnswersWithThePagesNumbers() throws Exception {
        String current = safepath("query", "--indicator", "discharge.nctr_in_bed", "--local-authority", LA, "--format", "csv");
        assertThat(current.lines().findFirst().orElseThrow())
                .isEqualTo("indicator,title,local_authority,local_authority_name,hospital_site,hospital_site_name,pathway,value,unit,rag,as_of");
        // A site's name beside its code where the council's names give one (RXB02), empty where they do not (RXA01).
        assertThat(current).contains(LA + ",,RXA01,,ALL,7,people").contains(LA + ",,RXA01,,P3,4,people")
                .contains(LA + ",,RXB02,Test General Hospital,ALL,12,people");
        String from = NOW.truncatedTo(ChronoUnit.HOURS).minus(24, ChronoUnit.HOURS).toString();
        String history = safepath("query", "--indicator", "discharge.nctr_in_bed", "--local-authority", LA, "--from", from,
                "--to", NOW.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS).toString(), "--interval", "1h");
        // The hour 24 hours ago: the two sites' all-pathways rows, 5 + 10 (the P1 row is not added again).
        assertThat(history).contains("total").containsPattern("total\\s+" + from + "\\s+15");
        String board = safepath("query", "--indicator", "waiting.people_waiting", "--local-authority", LA, "--board-view");
        assertThat(board).containsPattern("HIGH\\s+\\[c\\]").containsPattern("MEDIUM\\s+10");
        assertThat(safepath("query", "--indicator", "no.such", "--local-authority", LA)).contains("no indicator 'no.such'");
    }

    private static String safepath(String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classpath, "org.safepath.app.SafePath"));
        command.addAll(List.of(args));
        command.addAll(List.of("--elasticsearch", stack.elasticsearchUrl()));
        java.io.File errors = java.io.File.createTempFile("safepath-query", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(errors).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            // What it prints on standard output; on failure, what it said on standard error.
            return p.waitFor() == 0 ? out : java.nio.file.Files.readString(errors.toPath());
        } finally {
            errors.delete();
        }
    }

    @Test
    void theApiAnswersABadQuestionWithTheReason() throws Exception {
        var http = HttpClient.newHttpClient();
        var r = http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/history?indicator=waiting.median_wait_days&local_authority=" + LA
                + "&by=nonsense")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("has no dimension 'nonsense'");
        var badTime = http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/history?indicator=waiting.median_wait_days&from=yesterday"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badTime.body()).get("error").asText()).as("names the parameter")
                .isEqualTo("'from' must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, not 'yesterday'");
        var page = http.send(HttpRequest.newBuilder(URI.create(dashboard.url())).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).as("the charting library is served by the dashboard, not a CDN").contains("src=\"/webjars/chart.js/")
                .doesNotContain("https://");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "webjars/chart.js/4.4.1/dist/chart.umd.js")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
