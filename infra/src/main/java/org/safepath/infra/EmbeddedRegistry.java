package org.safepath.infra;

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
import java.util.concurrent.TimeUnit;

import org.safepath.connectors.tls.CaCertificates;

/**
 * Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7), assembled by the build, as a child process.
 * Secured, it answers only HTTPS, with the certificate given.
 */
final class EmbeddedRegistry implements AutoCloseable {

    private final Path workDir;
    private final int port;
    private final StackSecurity security;
    private Process process;

    EmbeddedRegistry(Path workDir, int port) {
        this(workDir, port, null);
    }

    EmbeddedRegistry(Path workDir, int port, StackSecurity security) {
        this.workDir = workDir;
        this.port = port;
        this.security = security;
    }

    /** The Confluent-compatible base URL, as a Confluent client expects it. */
    String url() {
        return (security == null ? "http" : "https") + "://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    void start(Duration timeout) throws Exception {
        Path jar = runnableJar();
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.log.level=WARN",
                "-Dregistry.ccompat.legacy-id-mode.enabled=true"));
        if (security == null) {
            command.add("-Dquarkus.http.port=" + port);
        } else {
            command.addAll(List.of(
                    "-Dquarkus.http.port=" + LoopbackPorts.free(),
                    "-Dquarkus.http.ssl-port=" + port,
                    "-Dquarkus.http.insecure-requests=disabled",
                    "-Dquarkus.http.ssl.certificate.files=" + security.serverCertificate(),
                    "-Dquarkus.http.ssl.certificate.key-files=" + security.serverKey()));
        }
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("console.log").toFile())
                .start();
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (security != null) {
            client.sslContext(CaCertificates.sslContextTrusting(security.caCertificate(), "embedded schema registry"));
        }
        HttpClient http = client.build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The schema registry exited during start-up. Its output:\n"
                        + Files.readString(workDir.resolve("console.log")));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        close();
        throw new IllegalStateException("The schema registry at " + url() + " did not answer within " + timeout.toSeconds() + " s.");
    }

    private static Path runnableJar() {
        String configured = System.getProperty("safepath.registry.jar", System.getenv("SAFEPATH_REGISTRY_JAR"));
        Path jar = configured != null ? Path.of(configured)
                : StackFiles.projectRoot().resolve("infra/registry/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("The local schema registry is not built at " + jar
                    + ". Build the project first (mvn -q install -DskipTests), or point --registry at a running one.");
        }
        return jar;
    }

    /** How the process ended: its exit code, or null while it runs. */
    Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }
}
