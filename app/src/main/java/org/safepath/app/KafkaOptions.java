package org.safepath.app;

import picocli.CommandLine.Option;

/** Where Kafka and the schema registry are: {@code --kafka}, {@code --registry}, or the environment. */
final class KafkaOptions {

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:SAFEPATH_KAFKA}",
            description = "Kafka bootstrap servers, host:port[,host:port] (or SAFEPATH_KAFKA).")
    String kafka;

    @Option(names = "--registry", paramLabel = "URL", defaultValue = "${env:SAFEPATH_REGISTRY_URL}",
            description = "The schema registry's URL (or SAFEPATH_REGISTRY_URL).")
    String registry;

    String kafka() {
        return required(kafka, "--kafka", "SAFEPATH_KAFKA");
    }

    String registry() {
        return required(registry, "--registry", "SAFEPATH_REGISTRY_URL");
    }

    static String required(String value, String option, String env) {
        if (value == null || value.isBlank()) {
            throw new UsageException(option + " (or " + env + ") is required");
        }
        return value;
    }
}
