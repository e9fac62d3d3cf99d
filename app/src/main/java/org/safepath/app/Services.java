package org.safepath.app;

import java.nio.file.Path;
import java.time.LocalTime;

import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.connectors.registry.SchemaSubjects;
import org.safepath.infra.EmbeddedStack;

/**
 * Where Kafka, the registry and Elasticsearch are: given with --kafka/--registry/--elasticsearch (or
 * SAFEPATH_KAFKA, SAFEPATH_REGISTRY_URL, SAFEPATH_ES_URL), else the embedded stack started under the data folder.
 */
final class Services implements AutoCloseable {

    final String kafka;
    final String registry;
    final String elasticsearch;
    private final EmbeddedStack embedded;

    private Services(String kafka, String registry, String elasticsearch, EmbeddedStack embedded) {
        this.kafka = kafka;
        this.registry = registry;
        this.elasticsearch = elasticsearch;
        this.embedded = embedded;
    }

    static Services from(KafkaOptions k, ElasticsearchOption e, Path dataDir, boolean reset) {
        String kafka = k.kafka;
        String registry = k.registry;
        String es = e.elasticsearch;
        if (kafka != null && registry != null && es != null) {
            return new Services(kafka, registry, es, null);
        }
        if (kafka != null || registry != null || es != null) {
            throw new UsageException("Give all three of --kafka, --registry and --elasticsearch to use real services, "
                    + "or none to start the embedded stack");
        }
        System.out.println("Starting the embedded stack (Kafka, Elasticsearch, schema registry) in " + dataDir + " ...");
        EmbeddedStack stack = EmbeddedStack.start(dataDir.resolve("stack"), reset);
        return new Services(stack.kafkaBootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), stack);
    }

    /** For the embedded stack: when a part dies, say so on the console and start it again. */
    void supervise() {
        if (embedded != null) {
            embedded.supervise(line -> System.err.println(LocalTime.now().withNano(0) + " " + line),
                    () -> SchemaSubjects.registerAll(new SchemaRegistryClient(RegistrySettings.fromEnvironment(registry))));
        }
    }

    /** The caller's shutdown hook closes these services, after stopping what writes to them. */
    void leaveShutdownToCaller() {
        if (embedded != null) {
            embedded.leaveShutdownToCaller();
        }
    }

    boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
