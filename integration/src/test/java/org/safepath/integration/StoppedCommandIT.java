package org.safepath.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A command on the embedded stack stopped as an operator stops it (Ctrl-C, or SIGTERM from a service manager) leaves
 * nothing of the stack running: Elasticsearch and the registry are child processes, which used to outlive it and
 * hold a core and their ports until killed by hand. A second command on the same folder used to clear the first
 * one's Kafka files under it.
 */
class StoppedCommandIT {

    private static final Path DIR = Path.of("target", "stopped-command");

    @Test
    void aBenchmarkStoppedWhileItRunsTakesElasticsearchAndTheRegistryWithItAndASecondOnItsFolderIsTurnedAway() throws Exception {
        Files.createDirectories(DIR);
        Path output = DIR.resolve("bench-latency.log");
        Process bench = SafePathProcess.start(output, null, List.of("-Xmx1g"),
                "bench-latency", "--probes", "100000", "--interval", "1s", "--data-dir", DIR.resolve("data").toString());
        List<ProcessHandle> children = List.of();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!Files.readString(output).contains("Warming up")) {
                assertThat(bench.isAlive()).as("bench-latency ended before its stack was up:\n%s", SafePathProcess.tail(output)).isTrue();
                assertThat(System.nanoTime()).as("bench-latency's stack not up within 4 minutes:\n%s", SafePathProcess.tail(output))
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
            children = bench.toHandle().descendants().toList();

            // A second command on the same folder is turned away before it touches the first one's files.
            Path secondOutput = DIR.resolve("second.log");
            Process second = SafePathProcess.start(secondOutput, null, List.of("-Xmx512m"),
                    "bench-latency", "--probes", "1", "--data-dir", DIR.resolve("data").toString());
            assertThat(second.waitFor(2, TimeUnit.MINUTES)).as("the second command ended").isTrue();
            assertThat(second.exitValue()).isNotZero();
            assertThat(Files.readString(secondOutput)).contains("Another SafePath command is using the embedded stack in "
                    + DIR.resolve("data").resolve("stack").toAbsolutePath());
            assertThat(DIR.resolve("data").resolve("stack").resolve("kafka").resolve("meta.properties")).exists();
            assertThat(bench.isAlive()).isTrue();

            assertThat(children).as("the stack's child processes (Elasticsearch, the registry)").hasSizeGreaterThanOrEqualTo(2);

            bench.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
            assertThat(bench.waitFor(2, TimeUnit.MINUTES)).as("bench-latency stopped").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(1, TimeUnit.MINUTES);
                assertThat(child.isAlive()).as("child %d (%s) still running", child.pid(), child.info().command().orElse("?")).isFalse();
            }
        } finally {
            bench.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            children.forEach(ProcessHandle::destroyForcibly); // what outlived it, were the test to fail
            bench.destroyForcibly();
        }
    }
}
