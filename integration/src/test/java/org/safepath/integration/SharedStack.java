package org.safepath.integration;

import java.nio.file.Path;

import org.safepath.connectors.kafka.Topics;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.connectors.registry.SchemaSubjects;
import org.safepath.infra.EmbeddedStack;

/** The one embedded stack of a test run: started by the first test that asks, stopped when the JVM exits. */
final class SharedStack {

    private static EmbeddedStack stack;

    private SharedStack() {
    }

    static synchronized EmbeddedStack get() {
        if (stack == null) {
            stack = EmbeddedStack.start(Path.of("target", "stack"), true);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-embedded-stack"));
            Topics.ensure(stack.kafkaBootstrapServers(), 2, (short) 1);
            SchemaSubjects.registerAll(registry());
        }
        return stack;
    }

    static SchemaRegistryClient registry() {
        return new SchemaRegistryClient(RegistrySettings.of(get().registryUrl()));
    }
}
