package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.safepath.jobs.config.JobCommandLine;
import org.safepath.jobs.config.JobSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class CommandLineTest {

    private static final Path ROOT = Path.of(System.getProperty("safepath.root", ".."));

    /** A command as the documentation writes it: the command (and subcommand) and the options it uses. */
    record Documented(String where, List<String> command, List<String> options) {
    }

    @Test
    void everyCommandAndOptionTheReadmeAndDocsShowIsOneTheCommandLineTakes() throws Exception {
        List<Documented> documented = documentedCommands();
        assertThat(documented).as("commands found in the README and docs").hasSizeGreaterThan(15);
        CommandLine root = SafePath.commandLine();
        for (Documented d : documented) {
            CommandLine cl = root;
            for (String name : d.command()) {
                assertThat(cl.getSubcommands()).as("%s: safepath %s", d.where(), String.join(" ", d.command())).containsKey(name);
                cl = cl.getSubcommands().get(name);
            }
            for (String option : d.options()) {
                assertThat(cl.getCommandSpec().findOption(option)).as("%s: safepath %s %s", d.where(), String.join(" ", d.command()), option)
                        .isNotNull();
            }
        }
    }

    @Test
    void runTakesEveryJobOptionInTheOneDurationSyntaxAndIndicatorParametersBySet() {
        CommandLine cl = SafePath.commandLine();
        cl.parseArgs("run", "--kafka", "k:9092", "--registry", "http://r", "--elasticsearch", "http://e", "--allowed-lateness", "3d",
                "--source-idleness", "PT45S", "--checkpoint-interval", "20", "--early-results", "false",
                "--set", "discharge.nctr_delay_21_plus.red=8");
        JobSettings s = JobSettings.fromMap(JobCommandLine.given(cl.getSubcommands().get("run").getCommandSpec()));
        assertThat(s.allowedLateness()).isEqualTo(Duration.ofDays(3));
        assertThat(s.sourceIdleness()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.earlyResults()).isFalse();
        assertThat(s.parallelism()).as("the option's default").isEqualTo(2);
        assertThat(s.catalogue().get("discharge.nctr_delay_21_plus").red()).isEqualTo(8.0);
    }

    @Test
    void theFlinkRunEntryPointTakesTheSameOptions() {
        JobSettings s = JobCommandLine.settings("--kafka", "k:9092", "--registry", "http://r", "--elasticsearch", "http://e",
                "--allowed-lateness", "P2D", "--caught-up-within", "1d", "--parallelism", "4");
        assertThat(s.allowedLateness()).isEqualTo(Duration.ofDays(2));
        assertThat(s.parallelism()).isEqualTo(4);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JobCommandLine.settings("--allowed-lateness", "a week")))
                .hasMessageContaining("--allowed-lateness").hasMessageContaining("'a week' is not a duration");
    }

    @Test
    void aBadValueOrAMisspeltOptionIsRefusedNamingTheOptionWithExitCode2() {
        assertThat(run("retention", "--elasticsearch", "http://e", "--keep", "a year")).startsWith("2 ")
                .contains("--keep").contains("'a year' is not a duration; give one such as 30s, 5m, 2h, 7d or PT30S");
        assertThat(run("run", "--alowed-lateness", "3d")).startsWith("2 ")
                .contains("Unknown options: '--alowed-lateness'").contains("Possible solutions: --allowed-lateness");
        assertThat(run("query", "--indicator", "discharge.nctr_in_bed", "--format", "xml", "--elasticsearch", "http://e")).startsWith("2 ")
                .contains("--format").contains("table, csv, json");
        assertThat(run("query", "--elasticsearch", "http://e")).startsWith("2 ").contains("--indicator");
        assertThat(run("dashboard", "--port", "eighty")).startsWith("2 ").contains("--port").contains("eighty");
        assertThat(run("bogus")).startsWith("2 ").contains("Unmatched argument").contains("'bogus'");
    }

    @Test
    void aMissingServiceIsNamedWithItsEnvironmentVariable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SAFEPATH_ES_URL") == null, "SAFEPATH_ES_URL is set here");
        assertThat(run("alerts", "list")).startsWith("2 ").contains("--elasticsearch (or SAFEPATH_ES_URL) is required");
    }

    /** The exit code, a space, and what the command wrote to standard error. */
    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = SafePath.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return code + " " + err;
    }

    /** Every {@code ./safepath ...} or {@code safepath ...} command line in the README and docs/*.md. */
    private static List<Documented> documentedCommands() throws Exception {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        CommandSpec root = SafePath.commandLine().getCommandSpec();
        Pattern invocation = Pattern.compile("(?:\\./)?safepath ([a-z][a-z-]*)((?: [^`#|]*)?)");
        List<Documented> found = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = invocation.matcher(lines.get(i));
                while (m.find()) {
                    if (!root.subcommands().containsKey(m.group(1)) && !m.group(0).startsWith("./")) {
                        continue; // "safepath" as a word in a sentence
                    }
                    List<String> command = new ArrayList<>(List.of(m.group(1)));
                    String rest = m.group(2).trim();
                    if (command.get(0).equals("alerts") && (rest.startsWith("list") || rest.startsWith("ack"))) {
                        command.add(rest.startsWith("list") ? "list" : "ack");
                    }
                    List<String> options = new ArrayList<>();
                    Matcher o = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)").matcher(rest);
                    while (o.find()) {
                        options.add(o.group(1));
                    }
                    found.add(new Documented(ROOT.relativize(file) + ":" + (i + 1), command, options));
                }
            }
        }
        return found;
    }
}
