package org.safepath.app;

import java.util.Arrays;
import java.util.List;

/** The {@code safepath} command: demo, run, simulate, init, retention. */
public final class SafePath {

    private static final String USAGE = String.join("\n",
            "usage: safepath <command> [options]",
            "",
            "  demo        start the embedded stack, run every job, feed a simulated council, serve the dashboard",
            "              [--duration 10m] [--reset] [--data-dir DIR] [--days 30] [--speed 43200] [--seed 42] [--port 8080]",
            "  run         run the jobs in this process against real services (--kafka --registry --elasticsearch)",
            "              [--config FILE] [--pseudonym-key-file FILE]",
            "  simulate    publish a simulated council's events to Kafka [--days 30] [--speed 0 = as fast as possible] [--seed 42]",
            "              or write them as event files: --to-files DIR [--until T] [--scale 10 = ten counties' rates]",
            "  backtest    the same jobs over event files: --events PATH... --as-of T --out indicators.jsonl",
            "              [--history hourly.jsonl] [--alerts alerts.jsonl] [--config FILE] [--allow-rejects]",
            "  replay      publish event files to the Kafka topics in event-time order: --events PATH... --kafka --registry",
            "  dispatch    deliver the alerts topic by email and Teams/Slack webhooks: --config delivery.properties",
            "              (routes by audience and recipient, SMTP; see docs/alert-delivery.md) --kafka --registry --elasticsearch",
            "  dashboard   the live dashboard against any Elasticsearch: --elasticsearch URL [--port 8080] [--host 127.0.0.1]",
            "  query       --indicator ID [--by DIM] [--from ISO --to ISO] [--interval 1d] [--local-authority CODE] [--where DIM=VALUE]",
            "              [--format table|csv|json] [--board-view]: current values, or history with --from   (--elasticsearch URL)",
            "  alerts      list [--open] [--audience A] [--size 50] | ack ID --by NAME [--note TEXT]   (--elasticsearch URL)",
            "  init        create topics, register schemas (BACKWARD), install index templates",
            "  retention   drop monthly history indices older than --keep (e.g. 400d)",
            "  bench-sink  the Elasticsearch sink's throughput next to a plain _bulk loop [--documents 200000] [--batch 1000]",
            "  bench-latency  a live event's time from Kafka to searchable in Elasticsearch, p50/p95/p99 [--probes 100] [--interval 1s]",
            "",
            "Real services: --kafka HOST:PORT --registry URL --elasticsearch URL, or SAFEPATH_KAFKA, SAFEPATH_REGISTRY_URL,",
            "SAFEPATH_ES_URL. Without them, demo starts the embedded stack.");

    private SafePath() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(USAGE);
            return;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            int code = switch (args[0]) {
                case "demo" -> new DemoCommand(rest).run();
                case "run" -> Commands.run(rest);
                case "simulate" -> Commands.simulate(rest);
                case "init" -> Commands.init(rest);
                case "retention" -> Commands.retention(rest);
                case "bench-sink" -> SinkBenchmark.run(rest);
                case "bench-latency" -> LatencyBenchmark.run(rest);
                case "backtest" -> BacktestCommand.run(rest);
                case "replay" -> Commands.replay(rest);
                case "dispatch" -> DispatchCommand.run(rest);
                case "alerts" -> AlertsCommand.run(rest);
                case "dashboard" -> DashboardCommand.run(rest);
                case "query" -> QueryCommand.run(rest);
                default -> throw new Options.UsageException("Unknown command '" + args[0] + "'");
            };
            System.exit(code);
        } catch (Options.UsageException e) {
            System.err.println("safepath: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
        } catch (Exception e) {
            // Errors reaching here already say what failed and what to do; the stack trace goes to the log only.
            System.err.println("safepath: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            org.slf4j.LoggerFactory.getLogger(SafePath.class).debug("failure", e);
            System.exit(1);
        }
    }
}
