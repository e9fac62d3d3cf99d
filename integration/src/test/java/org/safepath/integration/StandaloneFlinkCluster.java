package org.safepath.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real standalone Flink cluster: a JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers
 * ({@code TaskManagerRunner}) as separate JVMs, from Flink's own artifacts (the classpath the
 * {@code infra/flink-cluster} module resolves), configured by a {@code config.yaml} in a conf folder as flink-dist's
 * is, with the RocksDB state backend and checkpoints on local disk. Jobs are submitted with {@code flink run}
 * (Flink's {@code CliFrontend}, in its own process); the test watches the cluster through its REST API.
 */
final class StandaloneFlinkCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLASSPATH = Path.of("..", "infra", "flink-cluster", "target", "classpath.txt");

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();

    private StandaloneFlinkCluster(Path dir, int restPort) throws IOException {
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.restPort = restPort;
        if (!Files.exists(CLASSPATH)) {
            throw new IllegalStateException(CLASSPATH + " is missing: build the project first (mvn install builds infra/flink-cluster)");
        }
        this.classpath = Files.readString(CLASSPATH).strip();
    }

    /** Starts a JobManager and {@code taskManagers} TaskManagers of {@code slots} slots each, under {@code dir}. */
    static StandaloneFlinkCluster start(Path dir, int taskManagers, int slots) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        StandaloneFlinkCluster c = new StandaloneFlinkCluster(dir.toAbsolutePath(), org.safepath.infra.LoopbackPorts.free());
        c.writeConfiguration(slots);
        c.jobManager = c.java("jobmanager", "GET_JM_RESOURCE_PARAMS", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        c.awaitRest(Duration.ofMinutes(2));
        for (int i = 0; i < taskManagers; i++) {
            c.startTaskManager();
        }
        c.await("registered task managers", Duration.ofMinutes(2),
                () -> c.rest("/overview").path("taskmanagers").asInt() == taskManagers);
        return c;
    }

    private void writeConfiguration(int slots) throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("jobmanager.rpc.address", "127.0.0.1");
        settings.put("jobmanager.rpc.port", String.valueOf(org.safepath.infra.LoopbackPorts.free()));
        settings.put("jobmanager.bind-host", "127.0.0.1");
        settings.put("jobmanager.memory.process.size", "1g");
        settings.put("rest.address", "127.0.0.1");
        settings.put("rest.bind-address", "127.0.0.1");
        settings.put("rest.port", String.valueOf(restPort));
        settings.put("taskmanager.host", "127.0.0.1");
        settings.put("taskmanager.bind-host", "127.0.0.1");
        settings.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
        settings.put("taskmanager.memory.process.size", "2g");
        settings.put("state.backend.type", "rocksdb");
        settings.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        settings.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        settings.put("execution.checkpointing.incremental", "true");
        // A killed TaskManager is noticed within seconds, not the default 50 s.
        settings.put("heartbeat.interval", "2 s");
        settings.put("heartbeat.timeout", "10 s");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "100");
        settings.put("restart-strategy.fixed-delay.delay", "2 s");
        settings.put("pipeline.generic-types", "false");
        StringBuilder yaml = new StringBuilder("# Written by the test: a standalone cluster configured as flink-dist's conf/config.yaml is.\n");
        settings.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(conf.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = file
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = ${sys:log.file}
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
                """);
    }

    /** Starts one more TaskManager. */
    void startTaskManager() throws IOException, InterruptedException {
        String name = "taskmanager-" + taskManagers.size();
        taskManagers.add(java(name, "GET_TM_RESOURCE_PARAMS", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "-D", "taskmanager.resource-id=" + name));
    }

    /** The index of a TaskManager (as started) that runs tasks of the job. */
    int busyTaskManager(String jobId) {
        for (JsonNode v : rest("/jobs/" + jobId).path("vertices")) {
            for (JsonNode tm : rest("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (id.startsWith("taskmanager-")) {
                    return Integer.parseInt(id.substring("taskmanager-".length()));
                }
            }
        }
        throw new IllegalStateException("No TaskManager runs tasks of " + jobId);
    }

    /** {@code kill -9} of the {@code i}th TaskManager started. */
    void killTaskManager(int i) throws InterruptedException {
        Process p = taskManagers.get(i);
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * A Flink process as flink-dist's scripts start it: its JVM options and the memory settings they derive from the
     * configuration come from Flink's own {@code BashJavaUtils} ({@code GET_JM_RESOURCE_PARAMS} / {@code GET_TM_RESOURCE_PARAMS}).
     */
    private Process java(String name, String resources, String mainClass, String... settings) throws IOException, InterruptedException {
        List<String> derived = bashJavaUtils(resources);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(derived.get(0).split(" ")));
        command.addAll(moduleOptions());
        command.addAll(List.of("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"),
                "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
                "-cp", classpath, mainClass, "--configDir", conf.toString()));
        command.addAll(List.of(derived.get(1).split(" ")));
        command.addAll(List.of(settings));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".out").toFile()).start();
    }

    /** The two result lines of BashJavaUtils: JVM options, then dynamic settings ({@code -D key=value ...}). */
    private List<String> bashJavaUtils(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", conf.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(1, TimeUnit.MINUTES);
        List<String> results = out.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip()).toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + out);
        }
        return results.subList(results.size() - 2, results.size());
    }

    /** {@code flink run -d [-s SAVEPOINT] JAR ARGS}, as a platform team submits a job: returns the job id the CLI printed. */
    String submit(Path jar, String savepoint, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            command.addAll(List.of("-s", savepoint));
        }
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return printed(flink(command), "JobID ([0-9a-f]{32})");
    }

    /** {@code flink stop --savepointPath DIR JOB}: returns where the savepoint is. */
    String stopWithSavepoint(String jobId) throws Exception {
        return printed(flink(List.of("stop", "--savepointPath", dir.resolve("savepoints").toUri().toString(), jobId)),
                "Savepoint completed\\. Path: (\\S+)");
    }

    private static String printed(String out, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("flink printed no " + pattern + ":\n" + out);
        }
        return m.group(1);
    }

    /** The {@code flink} command (Flink's CliFrontend), with this cluster's conf folder. */
    private String flink(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(moduleOptions());
        command.addAll(List.of("-Dlog.file=" + dir.resolve("log").resolve("client.log"),
                "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
                "-cp", classpath, "org.apache.flink.client.cli.CliFrontend"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("flink " + args.get(0) + " failed:\n" + out);
        }
        return out;
    }

    /** GET on the cluster's REST API. */
    JsonNode rest(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the job and every one of its tasks is running. */
    boolean allRunning(String jobId) {
        JsonNode job = rest("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!"RUNNING".equals(v.path("status").asText())) {
                return false;
            }
        }
        return job.path("vertices").size() > 0;
    }

    JsonNode checkpoints(String jobId) {
        return rest("/jobs/" + jobId + "/checkpoints");
    }

    /** The TaskManagers the JobManager has registered, by resource id, with their free slots. */
    JsonNode taskManagers() {
        return rest("/taskmanagers").path("taskmanagers");
    }

    /** The lines of the cluster's logs (JobManager, TaskManagers, client) that contain {@code text}. */
    List<String> logLines(String text) throws IOException {
        return logs().lines().filter(l -> l.contains(text)).toList();
    }

    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir.resolve("log"))) {
            // Flink's and the client's logs (RocksDB writes its own LOG files into the same folder).
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private void awaitRest(Duration timeout) throws Exception {
        await("the JobManager's REST API", timeout, () -> rest("/overview").has("taskmanagers"));
    }

    void await(String what, Duration timeout, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what + " (logs under " + dir.resolve("log") + ")");
            }
            if (jobManager != null && !jobManager.isAlive()) {
                throw new AssertionError("The JobManager exited while waiting for " + what + " (logs under " + dir.resolve("log") + ")");
            }
            Thread.sleep(500);
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(taskManagers);
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.forEach(Process::destroy);
        for (Process p : all) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The --add-opens/--add-exports Flink needs on Java 17, as this JVM (surefire's, configured by the build) has them. */
    private static List<String> moduleOptions() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
