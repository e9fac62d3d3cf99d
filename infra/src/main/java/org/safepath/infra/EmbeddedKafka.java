package org.safepath.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka 4 broker and controller in this JVM, in KRaft mode, on a free loopback port. Secured (tests of
 * SafePath's secured connections), it also listens with TLS and SCRAM ({@code SASL_SSL}) and with mutual TLS
 * ({@code SSL}, a client certificate required), and has the SCRAM user; the plaintext listener stays for the broker itself.
 */
final class EmbeddedKafka implements AutoCloseable {

    private static final ScramMechanism SCRAM = ScramMechanism.SCRAM_SHA_512;

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final StackSecurity security;
    private final int saslSslPort;
    private final int mutualTlsPort;
    private KafkaRaftServer server;

    EmbeddedKafka(Path logDir, int port, int controllerPort) {
        this(logDir, port, controllerPort, null);
    }

    EmbeddedKafka(Path logDir, int port, int controllerPort, StackSecurity security) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.security = security;
        this.saslSslPort = security == null ? 0 : LoopbackPorts.free();
        this.mutualTlsPort = security == null ? 0 : LoopbackPorts.free();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The TLS + SCRAM listener of a secured broker. */
    String saslSslBootstrapServers() {
        return "127.0.0.1:" + saslSslPort;
    }

    /** The mutual TLS listener of a secured broker. */
    String mutualTlsBootstrapServers() {
        return "127.0.0.1:" + mutualTlsPort;
    }

    void start() throws Exception {
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (security != null) {
            secure(props);
        }
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "2");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", "10000");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        // A directory formatted by an earlier run (same data dir, no --reset) keeps its cluster id and topics.
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            new Formatter()
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName("CONTROLLER")
                    .setIgnoreFormatted(true)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        if (security != null) {
            addScramUser();
        }
    }

    private void secure(Properties props) throws IOException {
        String sasl = "SASL_SSL://127.0.0.1:" + saslSslPort;
        String mutual = "SSL://127.0.0.1:" + mutualTlsPort;
        props.put("listeners", props.get("listeners") + "," + sasl + "," + mutual);
        props.put("advertised.listeners", props.get("advertised.listeners") + "," + sasl + "," + mutual);
        props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL,SSL:SSL");
        props.put("sasl.enabled.mechanisms", SCRAM.mechanismName());
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("ssl.keystore.type", "PEM");
        props.put("ssl.keystore.certificate.chain", Files.readString(security.serverCertificate()));
        props.put("ssl.keystore.key", Files.readString(security.serverKey()));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.certificates", Files.readString(security.caCertificate()));
        props.put("listener.name.ssl.ssl.client.auth", "required");
    }

    /** SCRAM credentials live in the cluster's metadata: set them once the broker answers (idempotent on a restart). */
    private void addScramUser() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(security.kafkaUser(),
                    new ScramCredentialInfo(SCRAM, 8192), security.kafkaPassword()))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

}
