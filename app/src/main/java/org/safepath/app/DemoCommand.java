package org.safepath.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.dashboards.DashboardServer;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.runtime.RetainedCheckpoints;
import org.safepath.simulator.KafkaEventPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code safepath demo}: the whole product on one machine. Starts the embedded stack (or uses the services
 * given), provisions it, runs every job in a local Flink MiniCluster, feeds a simulated council whose past
 * {@code --days} run at {@code --speed} times real time and then in real time, and serves the dashboard.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the embedded stack (or use the services given), run every job, feed a simulated council and serve the dashboard.",
                "Started again without --reset, it carries on from its checkpoint and feed."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long. Default: until Ctrl-C.")
    Duration duration;
    @Option(names = "--reset", description = "Start from nothing: clear the checkpoints, the feed and the embedded stack's data.")
    boolean reset;
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:SAFEPATH_DATA_DIR:-safepath-data}",
            description = "Where the embedded stack, checkpoints and outbox live. Default: ${DEFAULT-VALUE}.")
    Path dataDirOption;
    @Option(names = "--days", defaultValue = "30", description = "Simulated past days fed at --speed before live. Default: ${DEFAULT-VALUE}.")
    int days;
    @Option(names = "--speed", defaultValue = "43200", description = "Times real time for the past days. Default: ${DEFAULT-VALUE} (a simulated day every 2 s).")
    double speed;
    @Option(names = "--seed", defaultValue = "42", description = "The simulated council's seed. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--port", defaultValue = "8080", description = "The dashboard's port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    int port;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    ElasticsearchOption es;

    /** Held while the demo runs (kept reachable, so the file is not closed and the lock released under it). */
    private static java.nio.channels.FileLock demoLock;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Path dataDir = dataDirOption.toAbsolutePath();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);

        java.nio.file.Files.createDirectories(dataDir);
        // One demo per data directory: a second would start another Kafka and Elasticsearch on the same files.
        demoLock = org.safepath.infra.FolderLock.tryLock(dataDir.resolve(".demo.lock"));
        if (demoLock == null) {
            throw new UsageException("Another demo is running on " + dataDir + ". Stop it first (Ctrl-C in its terminal), "
                    + "or give this one its own --data-dir.");
        }
        if (reset) {
            new RetainedCheckpoints(dataDir.resolve("checkpoints")).clear();
            DemoFeed.clear(dataDir);
        }
        Services services = Services.from(kafka, es, dataDir, reset);
        JobClient[] job = new JobClient[1];
        DashboardServer[] dashboard = new DashboardServer[1];
        org.safepath.app.delivery.DemoOutbox[] outbox = new org.safepath.app.delivery.DemoOutbox[1];
        org.safepath.app.delivery.Deliveries[] deliveries = new org.safepath.app.delivery.Deliveries[1];
        AtomicBoolean stopDelivering = new AtomicBoolean();
        Thread feeder = null;
        Runnable shutdown = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            System.out.println("\nStopping SafePath ...");
            try {
                if (job[0] != null) {
                    Commands.cancelAndWait(job[0]);
                }
            } catch (Exception e) {
                System.err.println("The Flink job did not stop cleanly: " + e.getMessage());
            }
            stopDelivering.set(true);
            closeQuietly(deliveries[0]);
            closeQuietly(outbox[0]);
            if (dashboard[0] != null) {
                dashboard[0].close();
            }
            services.close();
            System.out.println("Stopped. Data kept in " + dataDir + " (--reset clears it).");
            stopped.countDown();
        };
        Thread hook = new Thread(shutdown, "safepath-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        services.leaveShutdownToCaller();
        try {
            Commands.provision(services.kafka, services.registry, services.elasticsearch);
            NamesCommand.loadSyntheticCouncil(services.elasticsearch);
            services.supervise();
            JobSettings settings = JobSettings.fromMap(Map.of(
                    "kafka", services.kafka, "registry", services.registry, "elasticsearch", services.elasticsearch,
                    "pseudonym-key-file", Commands.demoPseudonymKey(dataDir).toString(),
                    "group-prefix", "safepath-demo", "parallelism", "2", "checkpoint-interval", "PT10S"));
            StreamExecutionEnvironment env = Commands.localEnvironment(settings.parallelism(), dataDir.resolve("checkpoints"));
            SafePathJobs.build(env, settings);
            job[0] = env.executeAsync("safepath");
            System.out.println("Flink jobs running (job " + job[0].getJobID() + ").");

            DemoFeed simulation = DemoFeed.resumeOrStart(dataDir, seed, days, Instant.now());
            if (simulation.resumed()) {
                System.out.printf("Simulated county council: carrying on after the %d events already fed (up to %s); "
                        + "%d to go, at %.0fx speed up to now, then live.%n", simulation.alreadySent(), simulation.sentUpTo(),
                        simulation.remaining().size(), speed);
            } else {
                System.out.printf("Simulating a county council: %d events, the last %d days at %.0fx speed, then live.%n",
                        simulation.total(), days, speed);
            }
            feeder = new Thread(() -> feed(services, simulation, speed, stopping), "safepath-simulator");
            feeder.setDaemon(true);
            feeder.start();

            dashboard[0] = DashboardServer.start(port, services.elasticsearch);
            outbox[0] = new org.safepath.app.delivery.DemoOutbox(dataDir);
            deliveries[0] = new org.safepath.app.delivery.Deliveries(demoRoutes(outbox[0], dashboard[0].url()), services.kafka,
                    new SchemaRegistryClient(RegistrySettings.fromEnvironment(services.registry)),
                    org.safepath.connectors.elasticsearch.ElasticsearchSettings.of(services.elasticsearch),
                    org.safepath.schemas.EventStream.DEFAULT_TOPIC_PREFIX);
            org.safepath.app.delivery.AlertDispatcher dispatcher = deliveries[0].dispatcher();
            Thread delivering = new Thread(() -> {
                try {
                    dispatcher.run(stopDelivering);
                } catch (Exception e) {
                    if (!stopDelivering.get()) {
                        System.err.println("Alert delivery stopped: " + e.getMessage());
                    }
                }
            }, "safepath-alert-dispatcher");
            delivering.setDaemon(true);
            delivering.start();
            long firstIndicatorMillis = awaitFirstIndicator(services.elasticsearch, started, stopping);
            printWhereToLook(services, dashboard[0], firstIndicatorMillis);
            System.out.println("  Alerts delivered (a local mail catcher and Teams/Slack webhook receiver): " + outbox[0].folder());
            System.out.println("  Alerts with who acknowledged them (each message's Acknowledge link, or: ./safepath alerts ack ID --by NAME ...):");
            System.out.println("    ./safepath alerts list --elasticsearch " + services.elasticsearch);
            Thread alertWatch = new Thread(() -> announceFirstAlert(services.elasticsearch, started, stopping), "safepath-first-alert");
            alertWatch.setDaemon(true);
            alertWatch.start();

            if (duration != null) {
                stopped.await(Math.max(1, duration.toMillis() - (System.nanoTime() - started) / 1_000_000), TimeUnit.MILLISECONDS);
                summary(services.elasticsearch);
                try {
                    System.out.println(outbox[0].summary());
                    printAcknowledged(services.elasticsearch);
                } catch (Exception e) {
                    System.out.println("Delivered alerts: see " + outbox[0].folder());
                }
                shutdown.run();
                Runtime.getRuntime().removeShutdownHook(hook);
            } else {
                stopped.await();
            }
            return 0;
        } catch (Exception e) {
            shutdown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            throw e;
        }
    }

    /**
     * The demo's delivery configuration: what a council writes in its delivery properties, pointed at the local outbox.
     * Link workers' mailboxes come with the alerts; each team has a mailbox; market oversight also gets Teams, team
     * managers Slack.
     */
    static Map<String, String> demoRoutes(org.safepath.app.delivery.DemoOutbox outbox, String dashboardUrl) {
        Map<String, String> c = new java.util.TreeMap<>();
        c.put("delivery.smtp.host", "127.0.0.1");
        c.put("delivery.smtp.port", Integer.toString(outbox.smtpPort()));
        c.put("delivery.smtp.security", "none");
        c.put("delivery.smtp.from", "safepath@council.example");
        c.put("delivery.dashboard-url", dashboardUrl);
        c.put("delivery.group-id", "safepath-demo-dispatcher");
        c.put("delivery.route.link_worker.email", "recipient");
        c.put("delivery.route.market_oversight.email", "market-oversight@council.example");
        c.put("delivery.route.market_oversight.teams", outbox.webhookUrl("teams"));
        c.put("delivery.route.brokerage.email", "brokerage@council.example");
        c.put("delivery.route.team_manager.slack", outbox.webhookUrl("slack"));
        c.put("delivery.route.transitions_team.email", "transitions@council.example");
        c.put("delivery.route.placing_team.email", "placements@council.example");
        List<String> teams = new java.util.ArrayList<>(org.safepath.simulator.SyntheticCouncil.TEAMS);
        for (String team : teams) {
            String name = org.safepath.app.delivery.Routes.normalise(team);
            c.put("delivery.recipient." + name + ".email", name + "@council.example");
        }
        return c;
    }

    private static void printAcknowledged(String es) throws Exception {
        try (var transport = org.safepath.connectors.elasticsearch.ElasticsearchClients.transport(
                org.safepath.connectors.elasticsearch.ElasticsearchSettings.of(es))) {
            var listed = new org.safepath.dashboards.AlertAcknowledgements(
                    org.safepath.connectors.elasticsearch.ElasticsearchClients.blocking(transport)).list(null, false, 1000);
            long acknowledged = listed.stream().filter(l -> l.ack() != null).count();
            System.out.println("Alerts acknowledged: " + acknowledged + " of " + listed.size());
            listed.stream().filter(l -> l.ack() != null).forEach(l -> System.out.println("  " + l.alert().get("rule") + " "
                    + l.alert().getOrDefault("subject_name", l.alert().get("subject_id")) + ": by " + l.ack().by() + " at " + l.ack().at()));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }

    private static void feed(Services services, DemoFeed simulation, double speed, AtomicBoolean stopping) {
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(services.kafka,
                new SchemaRegistryClient(RegistrySettings.fromEnvironment(services.registry)))) {
            publisher.publishPaced(simulation.remaining(), speed, System::currentTimeMillis, stopping::get, simulation::acknowledged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                System.err.println("The simulator stopped: " + e.getMessage());
            }
        }
    }

    private static long awaitFirstIndicator(String es, long started, AtomicBoolean stopping) throws Exception {
        try (ElasticQueries queries = new ElasticQueries(es)) {
            Query nonZero = Query.of(q -> q.range(r -> r.number(n -> n.field("value").gt(0.0))));
            while (!stopping.get()) {
                if (queries.countCurrent(nonZero) > 0) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                Thread.sleep(500);
            }
        }
        return -1;
    }

    private static void printWhereToLook(Services s, DashboardServer dashboard, long firstIndicatorMillis) {
        System.out.println();
        System.out.printf("First non-zero indicator in Elasticsearch %.1f s after start.%n", firstIndicatorMillis / 1000.0);
        System.out.println("  Dashboard:      " + dashboard.url());
        System.out.println("  Elasticsearch:  " + s.elasticsearch);
        System.out.println("  Kafka:          " + s.kafka);
        System.out.println("  Registry:       " + s.registry);
        System.out.println("  Current discharge indicators, people with no criteria to reside in a bed by site:");
        System.out.println("    curl -s '" + s.elasticsearch + "/" + SafePathIndices.CURRENT
                + "/_search?size=20&q=indicator:discharge.nctr_in_bed%20AND%20dimensions.pathway:ALL&sort=dimensions.hospital_site&filter_path=hits.hits._source' ");
        System.out.println("  Waits over their priority's threshold, by team:");
        System.out.println("    curl -s '" + s.elasticsearch + "/" + SafePathIndices.CURRENT
                + "/_search?size=50&q=indicator:waiting.over_threshold%20AND%20value:>0&sort=dimensions.team&filter_path=hits.hits._source' ");
        System.out.println("  Alerts (care-home themes, provider risk, a suspended provider commissioned, harm while waiting,");
        System.out.println("  18 with no adult assessment, news at a home where people are placed out of area), newest first:");
        System.out.println("    curl -s '" + s.elasticsearch + "/" + SafePathIndices.ALERTS
                + "/_search?size=20&sort=raised_at:desc&filter_path=hits.hits._source' ");
        System.out.println("Ctrl-C stops everything cleanly.");
    }

    /** Says when the first alert reaches Elasticsearch, and what it is (rule, subject, audience: never a person). */
    private static void announceFirstAlert(String es, long started, AtomicBoolean stopping) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (ElasticQueries queries = new ElasticQueries(es)) {
            while (!stopping.get() && System.nanoTime() < deadline) {
                var first = queries.firstAlert();
                if (first.isPresent()) {
                    Map<?, ?> alert = first.get();
                    System.out.printf("First alert in Elasticsearch %.1f s after start: %s, %s, to %s.%n",
                            (System.nanoTime() - started) / 1e9, alert.get("rule"),
                            alert.get("subject_name") != null ? alert.get("subject_name") : alert.get("subject_id"), alert.get("audience"));
                    return;
                }
                Thread.sleep(1000);
            }
        } catch (Exception e) {
            // stopping, or nothing to announce
        }
    }

    private static void summary(String es) throws Exception {
        try (ElasticQueries queries = new ElasticQueries(es)) {
            var deadLetters = queries.deadLetters();
            if (deadLetters.isEmpty()) {
                System.out.println("Dead letters: Elasticsearch at " + es + " did not answer; see the topic safepath.dead-letters.");
            } else if (deadLetters.get().isEmpty()) {
                System.out.println("Dead letters: none (every record read was applied).");
            } else {
                System.out.println("Dead letters by stream and reason (details: " + es + "/" + SafePathIndices.DEAD_LETTERS
                        + "/_search; raw records on the topic safepath.dead-letters):");
                deadLetters.get().forEach((stream, reasons) -> reasons.forEach((reason, n) -> System.out.printf("  %-32s %-22s %6d%n", stream, reason, n)));
            }
            queries.alertsByRuleAndAudience().ifPresent(alerts -> {
                System.out.println("Alerts raised, by rule and audience:");
                alerts.forEach((rule, audiences) -> audiences.forEach((to, n) -> System.out.printf("  %-48s %-18s %4d%n", rule, to, n)));
            });
            queries.current("discharge", Map.of("pathway", "ALL")).ifPresent(rows -> {
                Map<String, Double> sites = new TreeMap<>();
                rows.stream().filter(r -> "discharge.nctr_in_bed".equals(r.get("indicator"))).forEach(r -> sites.merge(
                        String.valueOf(((Map<?, ?>) r.get("dimensions")).get("hospital_site")), ((Number) r.get("value")).doubleValue(), Double::sum));
                System.out.println("People with no criteria to reside still in a bed, by site:");
                sites.forEach((site, n) -> System.out.printf("  %-6s %4.0f%n", site, n));
            });
            queries.totals().ifPresent(totals -> {
                System.out.println("People's journeys now (all teams and areas):");
                for (String id : List.of("waiting.people_waiting", "waiting.over_threshold", "transitions.tracked",
                        "transitions.no_adult_request_at_17_5", "transitions.no_assessment_at_18", "placements.out_of_area")) {
                    if (totals.containsKey(id)) {
                        System.out.printf("  %-40s %5.0f%n", id, totals.get(id).sum());
                    }
                }
            });
        }
    }

}
