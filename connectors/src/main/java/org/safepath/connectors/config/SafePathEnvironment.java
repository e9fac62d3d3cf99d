package org.safepath.connectors.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Every environment variable the SafePath job, commands and services read: one place for their names, so the
 * deployment files can be checked against them. A secret is read from {@code NAME}, or from the file that
 * {@code NAME_FILE} names (a Kubernetes or compose secret mounted as a file), never from the command line.
 */
public enum SafePathEnvironment {

    KAFKA("SAFEPATH_KAFKA", false, "Kafka bootstrap servers, host:port[,host:port]."),
    KAFKA_SECURITY_PROTOCOL("SAFEPATH_KAFKA_SECURITY_PROTOCOL", false,
            "PLAINTEXT, SSL (TLS; with a client certificate, mutual TLS) or SASL_SSL (TLS and a user). Default: from what else is set."),
    KAFKA_SASL_MECHANISM("SAFEPATH_KAFKA_SASL_MECHANISM", false, "SCRAM-SHA-512 (default), SCRAM-SHA-256 or PLAIN."),
    KAFKA_USERNAME("SAFEPATH_KAFKA_USERNAME", false, "The Kafka user (SASL_SSL)."),
    KAFKA_PASSWORD("SAFEPATH_KAFKA_PASSWORD", true, "That user's password."),
    KAFKA_CA("SAFEPATH_KAFKA_CA", false, "A PEM file of the CA the brokers' certificates are signed by."),
    KAFKA_CERTIFICATE("SAFEPATH_KAFKA_CERTIFICATE", false, "A PEM file of SafePath's client certificate (mutual TLS)."),
    KAFKA_KEY("SAFEPATH_KAFKA_KEY", false, "A PEM file of that certificate's private key (PKCS#8)."),
    KAFKA_KEY_PASSWORD("SAFEPATH_KAFKA_KEY_PASSWORD", true, "The private key's password, if it is encrypted."),
    REGISTRY_URL("SAFEPATH_REGISTRY_URL", false, "The schema registry's base URL."),
    REGISTRY_USER_INFO("SAFEPATH_REGISTRY_USER_INFO", true, "The schema registry's basic auth, user:password."),
    REGISTRY_TOKEN("SAFEPATH_REGISTRY_TOKEN", true, "The schema registry's bearer token."),
    REGISTRY_CA("SAFEPATH_REGISTRY_CA", false, "A PEM file of the CA the schema registry's certificate is signed by."),
    ES_URL("SAFEPATH_ES_URL", false, "Elasticsearch's URL."),
    ES_USERNAME("SAFEPATH_ES_USERNAME", false, "Elasticsearch's user (basic auth)."),
    ES_PASSWORD("SAFEPATH_ES_PASSWORD", true, "That user's password."),
    ES_API_KEY("SAFEPATH_ES_API_KEY", true, "An Elasticsearch API key (instead of a user and password)."),
    ES_CA("SAFEPATH_ES_CA", false, "A PEM file of the CA Elasticsearch's certificate is signed by."),
    ES_ILM_POLICY("SAFEPATH_ES_ILM_POLICY", false, "An index lifecycle policy the history indices are put under."),
    /** Read by the pseudonymiser as bytes, exactly: its {@code _FILE} variant is the usual way to give it. */
    PSEUDONYM_KEY("SAFEPATH_PSEUDONYM_KEY", true, "The pseudonymisation secret (SAFEPATH_PSEUDONYM_KEY_FILE: a file holding it)."),
    DELIVERY_CONFIG("SAFEPATH_DELIVERY_CONFIG", false, "The alert dispatcher's properties file: routes, SMTP server."),
    DATA_DIR("SAFEPATH_DATA_DIR", false, "Where the embedded stack keeps its data (demo, simulate)."),
    JAVA_OPTS("SAFEPATH_JAVA_OPTS", false, "JVM options of the safepath script (default -Xmx3g).");

    /** The suffix of a secret's file variant: {@code SAFEPATH_ES_PASSWORD_FILE=/run/secrets/es-password}. */
    public static final String FILE_SUFFIX = "_FILE";

    private final String variable;
    private final boolean secret;
    private final String description;

    SafePathEnvironment(String variable, boolean secret, String description) {
        this.variable = variable;
        this.secret = secret;
        this.description = description;
    }

    public String variable() {
        return variable;
    }

    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }

    /** The value from the environment, or null; a secret also from the file its {@code _FILE} variable names. */
    public String value() {
        return value(System::getenv);
    }

    /** As {@link #value()}, from the environment given (tests). */
    public String value(UnaryOperator<String> environment) {
        String v = environment.apply(variable);
        if (v != null || !secret) {
            return v;
        }
        String file = environment.apply(variable + FILE_SUFFIX);
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            // The file's name is not a secret; its content is never in a message.
            throw new IllegalStateException(variable + FILE_SUFFIX + " names " + file + ", which cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every variable name accepted, with the {@code _FILE} variant of each secret. */
    public static List<String> accepted() {
        List<String> names = new ArrayList<>();
        for (SafePathEnvironment e : values()) {
            names.add(e.variable);
            if (e.secret) {
                names.add(e.variable + FILE_SUFFIX);
            }
        }
        return names;
    }
}
