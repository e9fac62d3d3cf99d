package org.safepath.app;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;

import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.kafka.KafkaSecurity;
import org.safepath.jobs.config.DurationConverter;
import org.safepath.jobs.config.JobCommandLine;
import org.safepath.jobs.config.JobOptions;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code safepath} command (picocli): generated help for every command and option ({@code safepath help
 * COMMAND}), one duration syntax, errors that name the option, and shell completion
 * ({@code source <(./safepath generate-completion)}).
 */
@Command(name = "safepath", mixinStandardHelpOptions = true, versionProvider = SafePath.Version.class,
        description = "Streaming safety intelligence for adult social care.",
        subcommands = {DemoCommand.class, Commands.Run.class, Commands.Simulate.class, BacktestCommand.class, Commands.Replay.class,
                DispatchCommand.class, DashboardCommand.class, QueryCommand.class, AlertsCommand.class, Commands.Init.class,
                Commands.Retention.class, NamesCommand.class, SinkBenchmark.class, LatencyBenchmark.class, DashboardBenchmark.class, ThroughputBenchmark.class, CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "Real services: --kafka HOST:PORT --registry URL --elasticsearch URL, or SAFEPATH_KAFKA, SAFEPATH_REGISTRY_URL and "
                + "SAFEPATH_ES_URL; Elasticsearch credentials from SAFEPATH_ES_USERNAME and SAFEPATH_ES_PASSWORD, SAFEPATH_ES_API_KEY, "
                + "SAFEPATH_ES_CA. Without them, demo starts the embedded stack.",
                "Durations everywhere: 500ms, 30s, 5m, 2h, 7d, ISO-8601 (PT30S) or a number of seconds.",
                "Shell completion: source <(safepath generate-completion)."})
public final class SafePath implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code safepath} alone: the list of commands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command and returns its exit code: 0 done, 1 failed, 2 given wrongly, 3 input rejected (backtest, replay). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SafePath());
        JobCommandLine.addOptions(cl.getSubcommands().get("run").getCommandSpec(), Set.of(JobOptions.BACKTEST.key()));
        cl.registerConverter(Duration.class, new DurationConverter());
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof UsageException) {
                err.println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
                return 2;
            }
            // Errors reaching here already say what failed and what to do; the stack trace goes to the log only.
            // A refusal by Kafka or Elasticsearch is told as such, with the settings to check, wherever it surfaced.
            String message = KafkaSecurity.refusal(e);
            if (message == null) {
                message = ElasticsearchClients.refusal(e);
            }
            if (message == null) {
                message = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
            org.slf4j.LoggerFactory.getLogger(SafePath.class).debug("failure", e);
            return 1;
        });
        return cl;
    }

    /** The version in the jar's manifest, when run from one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SafePath.class.getPackage().getImplementationVersion();
            return new String[] {"SafePath " + (v != null ? v : "(built from source)")};
        }
    }
}
