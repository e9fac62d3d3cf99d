package org.safepath.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.connectors.elasticsearch.SafePathIndices;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.events.DelayReasonFamily;
import org.safepath.events.DischargeEventType;
import org.safepath.events.DischargePathway;
import org.safepath.events.HospitalDischargeEvent;
import org.safepath.events.PersonIdentifier;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobSettings;
import org.safepath.jobs.runtime.RetainedCheckpoints;
import org.safepath.schemas.EventStream;
import org.safepath.simulator.KafkaEventPublisher;
import org.safepath.simulator.SimulatedEvent;
import org.safepath.simulator.SyntheticCouncil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code safepath bench-latency}: how long a live event takes from its acknowledged append to Kafka to its effect
 * being searchable in Elasticsearch. Each probe is a person ready for discharge at a hospital site of its own, so
 * its effect (that site's people in a bed becoming 1) is recognisable; probes go one at a time, on a running job.
 */
@Command(name = "bench-latency", mixinStandardHelpOptions = true,
        description = "A live event's time from its append to Kafka to searchable in Elasticsearch, p50/p95/p99 (the embedded stack unless services are given).")
final class LatencyBenchmark implements Callable<Integer> {

    @Option(names = "--probes", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}.")
    int probes;
    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", description = "Between probes. Default: ${DEFAULT-VALUE}.")
    java.time.Duration interval;
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "safepath-bench", description = "Default: ${DEFAULT-VALUE}.")
    Path dataDirOption;
    @picocli.CommandLine.Mixin
    KafkaOptions kafka;
    @picocli.CommandLine.Mixin
    ElasticsearchOption elasticsearch;

    @Override
    public Integer call() throws Exception {
        long intervalMillis = interval.toMillis();
        Path dataDir = dataDirOption.toAbsolutePath();
        try (Services services = Services.from(kafka, elasticsearch, dataDir, true)) {
            Commands.provision(services.kafka, services.registry, services.elasticsearch);
            JobSettings settings = JobSettings.fromMap(Map.of(
                    "kafka", services.kafka, "registry", services.registry, "elasticsearch", services.elasticsearch,
                    "pseudonym-key-file", Commands.demoPseudonymKey(dataDir).toString(),
                    "group-prefix", "safepath-bench-latency-" + System.currentTimeMillis(), "parallelism", "2"));
            new RetainedCheckpoints(dataDir.resolve("checkpoints")).clear();
            StreamExecutionEnvironment env = Commands.localEnvironment(settings.parallelism(), dataDir.resolve("checkpoints"));
            SafePathJobs.build(env, settings);
            JobClient job = env.executeAsync("safepath-bench-latency");
            try (KafkaEventPublisher publisher = new KafkaEventPublisher(services.kafka,
                    new SchemaRegistryClient(RegistrySettings.fromEnvironment(services.registry)));
                 ElasticQueries es = new ElasticQueries(services.elasticsearch)) {
                System.out.println("Warming up (the job starts, the first probe waits for it) ...");
                probe(publisher, es, "WARM", 0, 120_000);
                double[] millis = new double[probes];
                for (int i = 0; i < probes; i++) {
                    millis[i] = probe(publisher, es, "P" + i, i + 1, 30_000);
                    Thread.sleep(intervalMillis);
                }
                Arrays.sort(millis);
                System.out.printf("%d probes, event appended to Kafka -> searchable in Elasticsearch: p50 %.0f ms, p95 %.0f ms, "
                                + "p99 %.0f ms, max %.0f ms%n", probes, pct(millis, 50), pct(millis, 95), pct(millis, 99),
                        millis[millis.length - 1]);
            } finally {
                Commands.cancelAndWait(job);
            }
        }
        return 0;
    }

    /** Sends one readiness at a new site and returns the milliseconds until that site's count is searchable. */
    static double probe(KafkaEventPublisher publisher, ElasticQueries es, String site, int n, long timeoutMillis) throws Exception {
        long now = System.currentTimeMillis();
        HospitalDischargeEvent e = HospitalDischargeEvent.newBuilder().setEventId("latency-probe-" + site + "-" + now)
                .setOccurredAt(Instant.ofEpochMilli(now)).setRecordedAt(Instant.ofEpochMilli(now)).setSourceSystem("bench")
                .setLocalAuthority("E06000054").setPerson(PersonIdentifier.newBuilder().setNhsNumber(SyntheticCouncil.nhsNumber(new java.util.Random(n)))
                        .setCouncilPersonId(null).build())
                .setEventType(DischargeEventType.DISCHARGE_READY).setHospitalSite(site).setPathway(DischargePathway.P1)
                .setDelayReasonFamily(DelayReasonFamily.CAPACITY).build();
        publisher.send(new SimulatedEvent(EventStream.HOSPITAL_DISCHARGE, e.getEventId(), e, now, e.getEventId()), e);
        publisher.flush();
        long appended = System.nanoTime();
        Query ready = Query.of(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("indicator").value("discharge.nctr_in_bed")))
                .filter(f -> f.term(t -> t.field("dimensions.hospital_site").value(site)))
                .filter(f -> f.term(t -> t.field("dimensions.pathway").value("ALL")))
                .filter(f -> f.range(r -> r.number(x -> x.field("value").gte(1.0))))));
        while ((System.nanoTime() - appended) / 1_000_000 < timeoutMillis) {
            if (es.countCurrent(ready) > 0) {
                return (System.nanoTime() - appended) / 1e6;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("Probe at site " + site + " was not searchable within " + timeoutMillis / 1000 + " s");
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
