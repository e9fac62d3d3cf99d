package org.safepath.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.safepath.connectors.tls.CaCertificates;

/**
 * Elasticsearch 8.19 from the integ-test-zip the build unpacked, as a child process on a free loopback port.
 *
 * <p>Elasticsearch refuses to run as root, so as root it runs as the unprivileged uid 65534 from a copy of
 * the distribution and a working folder that uid can read and write.
 *
 * <p>Secured (tests of SafePath's secured connections), it has security on, HTTPS with the certificate given, and the
 * superuser given in its file realm (made with the distribution's own {@code elasticsearch-users}).
 */
final class EmbeddedElasticsearch implements AutoCloseable {

    static final String VERSION = "8.19.21";
    private static final int NOBODY = 65534;

    private final Path workDir;
    private final int httpPort;
    private final int transportPort;
    private final StackSecurity security;
    private Process process;

    EmbeddedElasticsearch(Path workDir, int httpPort, int transportPort) {
        this(workDir, httpPort, transportPort, null);
    }

    EmbeddedElasticsearch(Path workDir, int httpPort, int transportPort, StackSecurity security) {
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.security = security;
    }

    String url() {
        return (security == null ? "http" : "https") + "://127.0.0.1:" + httpPort;
    }

    void start(Duration timeout) throws Exception {
        boolean asRoot = StackFiles.runningAsRoot();
        Path home = distribution(asRoot);
        Path conf = workDir.resolve("config");
        Path data = workDir.resolve("data");
        Path logs = workDir.resolve("logs");
        Path tmp = workDir.resolve("tmp");
        if (!Files.exists(conf.resolve("elasticsearch.yml"))) {
            StackFiles.copyRecursively(home.resolve("config"), conf);
        }
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Files.createDirectories(tmp);
        Files.writeString(conf.resolve("elasticsearch.yml"), String.join("\n",
                "cluster.name: safepath-embedded",
                "node.name: safepath-embedded",
                "discovery.type: single-node",
                "network.host: 127.0.0.1",
                "http.port: " + httpPort,
                "transport.port: " + transportPort,
                "path.data: " + data,
                "path.logs: " + logs,
                security == null ? "xpack.security.enabled: false" : securedSettings(conf),
                "action.destructive_requires_name: false",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                ""));
        if (asRoot) {
            StackFiles.run("chmod", "a+rx", workDir.getParent().toString());
            StackFiles.run("chown", "-R", NOBODY + ":" + NOBODY, workDir.toString());
        }
        if (security != null && !Files.readString(conf.resolve("users")).contains(security.elasticsearchUser() + ":")) {
            Process users = processAs(asRoot, home, conf, tmp, "bin/elasticsearch-users", "useradd", security.elasticsearchUser(),
                    "-p", security.elasticsearchPassword(), "-r", "superuser").start();
            if (!users.waitFor(60, TimeUnit.SECONDS) || users.exitValue() != 0) {
                throw new IllegalStateException("elasticsearch-users could not add " + security.elasticsearchUser() + ": "
                        + tail(workDir.resolve("console.log")));
            }
        }
        process = processAs(asRoot, home, conf, tmp, "bin/elasticsearch").start();
        awaitHealthy(timeout);
    }

    /** One of the distribution's programs, as the uid Elasticsearch runs as, writing to console.log. */
    private ProcessBuilder processAs(boolean asRoot, Path home, Path conf, Path tmp, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(home.resolve(program).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("console.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("ES_JAVA_HOME", System.getProperty("java.home"));
        env.put("ES_PATH_CONF", conf.toString());
        env.put("ES_TMPDIR", tmp.toString());
        env.put("ES_JAVA_OPTS", "-Xms512m -Xmx512m -XX:-HeapDumpOnOutOfMemoryError");
        env.remove("JAVA_TOOL_OPTIONS");
        return builder;
    }

    /** Security on, HTTPS with the certificate given (Elasticsearch reads TLS files only from its config folder). */
    private String securedSettings(Path conf) throws IOException {
        Path certs = Files.createDirectories(conf.resolve("certs"));
        Files.copy(security.caCertificate(), certs.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(security.serverCertificate(), certs.resolve("http.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(security.serverKey(), certs.resolve("http.key"), StandardCopyOption.REPLACE_EXISTING);
        return String.join("\n",
                "xpack.security.enabled: true",
                "xpack.security.http.ssl.enabled: true",
                "xpack.security.http.ssl.certificate: certs/http.pem",
                "xpack.security.http.ssl.key: certs/http.key",
                "xpack.security.http.ssl.certificate_authorities: [ certs/ca.pem ]",
                "xpack.security.authc.api_key.enabled: true");
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(5));
        if (security != null) {
            client.sslContext(CaCertificates.sslContextTrusting(security.caCertificate(), "embedded Elasticsearch"));
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (security.elasticsearchUser() + ":" + security.elasticsearchPassword()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient http = client.build();
        HttpRequest health = request.build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited during start-up (code " + process.exitValue()
                        + "). Its output:\n" + tail(workDir.resolve("console.log")));
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("Elasticsearch at " + url() + " was not healthy within " + timeout.toSeconds()
                + " s. Its output:\n" + tail(workDir.resolve("console.log")));
    }

    /** The distribution, readable by the uid it runs as: a checkout under a private folder is not. */
    private static Path distribution(boolean asRoot) throws IOException, InterruptedException {
        Path built = StackFiles.projectRoot().resolve("infra/target/elasticsearch/elasticsearch-" + VERSION);
        String configured = System.getProperty("safepath.elasticsearch.home", System.getenv("SAFEPATH_ELASTICSEARCH_HOME"));
        Path home = configured != null ? Path.of(configured) : built;
        if (!Files.exists(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException("Elasticsearch " + VERSION + " is not at " + home
                    + ". Build the project first (mvn -q install -DskipTests) so Maven fetches and unpacks it.");
        }
        if (!asRoot) {
            return home;
        }
        Path shared = Path.of(System.getProperty("java.io.tmpdir"), "safepath-elasticsearch-" + VERSION);
        Path marker = shared.resolve(".complete");
        if (!Files.exists(marker)) {
            StackFiles.deleteRecursively(shared);
            StackFiles.copyRecursively(home, shared);
            StackFiles.run("chmod", "-R", "a+rX", shared.toString());
            StackFiles.run("chmod", "a+x", shared.resolve("bin/elasticsearch").toString());
            Files.writeString(marker, VERSION);
        }
        return shared;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /**
     * Signals the process tree: {@code STOP} hangs the node as a stuck JVM or a frozen VM would (connections stay
     * open, nothing answers), {@code CONT} lets it go on.
     */
    void signal(String signal) throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle p : tree) {
            StackFiles.run("kill", "-" + signal, String.valueOf(p.pid()));
        }
    }

    /** Kills the process tree at once ({@code kill -9}), as a crash or the OOM killer would; the data stays. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle child : tree) {
            child.onExit().join();
        }
        process = null;
    }

    /** How the process ended: its exit code, or null while it runs (or after a deliberate stop). */
    Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** Stops the node; its data stays, so {@link #start} on the same folder brings the same documents back. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : tree) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        process = null;
    }
}
