package org.safepath.infra;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack SafePath runs on when no real services are given: Kafka (in this JVM), Elasticsearch and
 * the schema registry (child processes), all on free loopback ports, all data under one folder.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final Path dataDir;
    private final EmbeddedKafka kafka;
    private final EmbeddedElasticsearch elasticsearch;
    private final EmbeddedRegistry registry;

    private EmbeddedStack(Path dataDir, StackSecurity security) {
        this.dataDir = dataDir;
        this.kafka = new EmbeddedKafka(dataDir.resolve("kafka"), LoopbackPorts.free(), LoopbackPorts.free(), security);
        this.elasticsearch = new EmbeddedElasticsearch(elasticsearchDir(dataDir), LoopbackPorts.free(), LoopbackPorts.free(), security);
        this.registry = new EmbeddedRegistry(dataDir.resolve("registry"), LoopbackPorts.free(), security);
    }

    /**
     * Starts all three parts and waits until each answers. {@code reset} clears what an earlier run left in
     * {@code dataDir}. A part that fails to start stops the others and is named in the exception.
     */
    public static EmbeddedStack start(Path dataDir, boolean reset) {
        return start(dataDir, reset, null);
    }

    /**
     * As {@link #start(Path, boolean)}, secured as a council's services are: Kafka also with TLS + SCRAM and with mutual
     * TLS ({@link #kafkaSaslSslBootstrapServers()}, {@link #kafkaMutualTlsBootstrapServers()}), Elasticsearch with
     * security and HTTPS, the registry with HTTPS only. Tests of SafePath's secured connections start it.
     */
    public static EmbeddedStack startSecured(Path dataDir, StackSecurity security) {
        return start(dataDir, true, security);
    }

    private static EmbeddedStack start(Path dataDir, boolean reset, StackSecurity security) {
        Path dir = dataDir.toAbsolutePath();
        FileLock lock = lock(dir);
        try {
            if (reset) {
                StackFiles.deleteRecursively(dir);
                StackFiles.deleteRecursively(elasticsearchDir(dir));
            }
            Files.createDirectories(dir);
        } catch (Exception e) {
            release(lock);
            throw new IllegalStateException("Cannot prepare the data folder " + dir + ": " + e.getMessage(), e);
        }
        EmbeddedStack stack = new EmbeddedStack(dir, security);
        stack.lock = lock;
        Runtime.getRuntime().addShutdownHook(stack.onExit);
        long started = System.nanoTime();
        CompletableFuture<Void> es = CompletableFuture.runAsync(() -> stack.startPart("Elasticsearch",
                () -> stack.elasticsearch.start(Duration.ofSeconds(120))));
        CompletableFuture<Void> registry = CompletableFuture.runAsync(() -> stack.startPart("The schema registry",
                () -> stack.registry.start(Duration.ofSeconds(90))));
        try {
            stack.startPart("Kafka", stack.kafka::start);
            CompletableFuture.allOf(es, registry).join();
        } catch (CompletionException | IllegalStateException e) {
            es.exceptionally(t -> null).join();
            registry.exceptionally(t -> null).join();
            stack.close();
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw cause instanceof IllegalStateException ise ? ise : new IllegalStateException(cause.getMessage(), cause);
        }
        LOG.info("Embedded stack ready in {} ms: Kafka {}, Elasticsearch {}, registry {}",
                (System.nanoTime() - started) / 1_000_000, stack.kafkaBootstrapServers(), stack.elasticsearchUrl(), stack.registryUrl());
        return stack;
    }

    /**
     * One stack per folder: a second command on the same folder would clear (or start a second Kafka on) the files
     * the first is using, and the first would fail with disk errors. The lock is a file beside the folder (a reset
     * deletes the folder), held until {@link #close} or the JVM's exit.
     */
    private static FileLock lock(Path dir) {
        Path file = dir.resolveSibling(dir.getFileName() + ".lock");
        try {
            Files.createDirectories(dir.getParent());
            FileLock lock = FolderLock.tryLock(file);
            if (lock == null) {
                throw new IllegalStateException("Another SafePath command is using the embedded stack in " + dir
                        + ". Stop it first, or give this one its own --data-dir.");
            }
            return lock;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot lock the data folder " + dir + " (" + file + "): " + e.getMessage(), e);
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close();
        } catch (IOException e) {
            LOG.warn("Could not release the lock {}: {}", lock, e.getMessage());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void startPart(String name, Step step) {
        try {
            step.run();
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed to start: " + e, e);
        }
    }

    /** Elasticsearch's folder must be reachable by the unprivileged uid, which a private home folder is not. */
    private static Path elasticsearchDir(Path dataDir) {
        if (!StackFiles.runningAsRoot()) {
            return dataDir.resolve("elasticsearch");
        }
        String key = Integer.toHexString(dataDir.toString().hashCode());
        return Path.of(System.getProperty("java.io.tmpdir"), "safepath-es-data-" + key, "node");
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A secured stack's Kafka listener with TLS and SCRAM (SASL_SSL). */
    public String kafkaSaslSslBootstrapServers() {
        return kafka.saslSslBootstrapServers();
    }

    /** A secured stack's Kafka listener with mutual TLS (SSL, a client certificate required). */
    public String kafkaMutualTlsBootstrapServers() {
        return kafka.mutualTlsBootstrapServers();
    }

    public String elasticsearchUrl() {
        return elasticsearch.url();
    }

    public String registryUrl() {
        return registry.url();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops Elasticsearch, keeping its data: what an operator sees when the cluster goes away. */
    public void stopElasticsearch() {
        elasticsearch.close();
    }

    /** Kills Elasticsearch with SIGKILL, as a crash would, keeping its data. */
    public void killElasticsearch() throws InterruptedException {
        elasticsearch.kill();
    }

    /** Hangs Elasticsearch (SIGSTOP): it keeps its connections and answers nothing, as a stuck node does. */
    public void hangElasticsearch() throws IOException, InterruptedException {
        elasticsearch.signal("STOP");
    }

    /** Lets a hung Elasticsearch go on (SIGCONT). */
    public void resumeElasticsearch() throws IOException, InterruptedException {
        elasticsearch.signal("CONT");
    }

    /** Stops the Kafka broker, keeping its data: clients see the broker gone. */
    public void stopKafka() {
        kafka.close();
    }

    /** Starts the Kafka broker again on the same port and data. */
    public void startKafka() throws Exception {
        kafka.start();
    }

    /** Starts Elasticsearch again on the same data and port. */
    public void restartElasticsearch() throws Exception {
        elasticsearch.start(Duration.ofSeconds(120));
    }

    /**
     * Watches Elasticsearch and the registry (child processes that can die on their own) every two seconds: when one
     * has died, says which and how, starts it again on the same data and port, and says when it is back.
     * {@code afterRegistryRestart} runs once the registry is back (it keeps its schemas in memory). Stops with {@link #close}.
     */
    public void supervise(java.util.function.Consumer<String> say, Runnable afterRegistryRestart) {
        Thread watcher = new Thread(() -> {
            while (!closing) {
                try {
                    Thread.sleep(2_000);
                    if (!closing && elasticsearch.exitCode() != null) {
                        restart("Elasticsearch", elasticsearch.exitCode(), say, () -> elasticsearch.start(Duration.ofSeconds(120)));
                    }
                    if (!closing && registry.exitCode() != null) {
                        restart("The schema registry", registry.exitCode(), say, () -> {
                            registry.start(Duration.ofSeconds(90));
                            afterRegistryRestart.run();
                        });
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "embedded-stack-supervisor");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void restart(String part, int exitCode, java.util.function.Consumer<String> say, Step start) {
        say.accept(part + " stopped unexpectedly (exit code " + exitCode + (exitCode == 137 ? ", killed" : "")
                + "). Restarting it on the same data and port; SafePath holds what it has to write meanwhile ...");
        long began = System.nanoTime();
        try {
            start.run();
            say.accept(part + " is running again (restarted in " + (System.nanoTime() - began) / 1_000_000_000 + " s).");
        } catch (Exception e) {
            say.accept(part + " could not be restarted: " + e.getMessage() + ". Stop SafePath (Ctrl-C) and look at "
                    + dataDir + "; it will try again in a few seconds.");
        }
    }

    private volatile boolean closing;

    /**
     * Elasticsearch and the registry are child processes: a command stopped with Ctrl-C (or SIGTERM) before it
     * closes its stack would leave them running, holding their ports, memory and a core, until someone kills them.
     * So the JVM's exit stops them. (Kafka runs in this JVM and ends with it.)
     */
    private final Thread onExit = new Thread(this::stopChildren, "embedded-stack-children-stop");

    private void stopChildren() {
        closing = true;
        registry.close();
        elasticsearch.close();
    }

    /**
     * For a caller whose own shutdown hook closes this stack after what must finish first (the demo stops its jobs
     * before the services they write to): the stack then leaves its child processes to that hook.
     */
    public void leaveShutdownToCaller() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting: the hook runs.
        }
    }

    private FileLock lock;

    @Override
    public void close() {
        leaveShutdownToCaller();
        stopChildren();
        kafka.close();
        if (lock != null) {
            release(lock);
            lock = null;
        }
    }

    /** Starts the stack and prints where each part listens, until interrupted. */
    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/safepath-data");
        EmbeddedStack stack = start(dir, args.length > 1 && args[1].equals("--reset"));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "embedded-stack-stop"));
        System.out.println("kafka=" + stack.kafkaBootstrapServers());
        System.out.println("elasticsearch=" + stack.elasticsearchUrl());
        System.out.println("registry=" + stack.registryUrl());
        Thread.currentThread().join();
    }
}
