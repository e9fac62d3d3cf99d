package org.safepath.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.safepath.infra.EmbeddedStack;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobSettings;

/** Starts every SafePath job, as production builds it, against the shared stack, in the test's MiniCluster. */
final class PipelineJobs {

    /** The pseudonymisation key every test job runs with: tests compute the pseudonyms to look for them where none may be. */
    static final String PSEUDONYM_KEY = "integration-test-pseudonym-key-0123456789";

    private PipelineJobs() {
    }

    /** {@code options}: job options on top of the stack's addresses, a test pseudonym key, parallelism 2, 2 s checkpoints. */
    static JobClient start(EmbeddedStack stack, String name, Map<String, String> options) throws Exception {
        Path key = Files.createTempFile("pseudonym", ".key");
        Files.writeString(key, PSEUDONYM_KEY);
        Map<String, String> all = new HashMap<>(Map.of(
                "kafka", stack.kafkaBootstrapServers(), "registry", stack.registryUrl(),
                "elasticsearch", stack.elasticsearchUrl(), "pseudonym-key-file", key.toString(),
                "parallelism", "2", "checkpoint-interval", "PT2S"));
        all.putAll(options);
        JobSettings settings = JobSettings.fromMap(all);
        SafePathJobs.prepare(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(SafePathJobs.flinkConfiguration());
        SafePathJobs.build(env, settings);
        return env.executeAsync(name);
    }

    /**
     * The test's MiniCluster, for a test that also runs backtests on it: a backtest's one-split file sources are
     * aligned (held back) as a whole, which Flink allows only where the task managers' configuration says so.
     */
    static org.apache.flink.test.junit5.MiniClusterExtension miniClusterForBacktests(int slots) {
        return new org.apache.flink.test.junit5.MiniClusterExtension(new org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration.Builder()
                .setConfiguration(new org.apache.flink.configuration.Configuration()
                        .set(org.apache.flink.configuration.PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS, true))
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(slots).build());
    }
}
