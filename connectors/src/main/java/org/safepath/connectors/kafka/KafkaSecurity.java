package org.safepath.connectors.kafka;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

import org.safepath.connectors.config.SafePathEnvironment;

/**
 * How SafePath's Kafka clients prove who they are and whom they talk to: TLS with the broker's CA, SASL/SCRAM
 * credentials, or a client certificate (mutual TLS), from the environment ({@code SAFEPATH_KAFKA_*}). Every Kafka
 * client SafePath makes, in a command or in a job's operators, takes its properties from here.
 *
 * <p>The password and the private key are Kafka {@code PASSWORD} settings, which Kafka's own logs print as
 * {@code [hidden]}; {@link #toString()} names neither.
 */
public record KafkaSecurity(
        String protocol,
        String saslMechanism,
        String username,
        String password,
        String caFile,
        String certificateFile,
        String keyFile,
        String keyPassword) implements Serializable {

    public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_SSL");
    public static final List<String> SASL_MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

    /** No TLS, no credentials: a broker on a trusted network, as the embedded one is. */
    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity("PLAINTEXT", null, null, null, null, null, null, null);

    public KafkaSecurity {
        protocol = protocol.toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException(SafePathEnvironment.KAFKA_SECURITY_PROTOCOL.variable() + " is " + protocol
                    + "; it must be one of " + PROTOCOLS + " (SafePath never sends credentials to Kafka without TLS)");
        }
        boolean sasl = protocol.equals("SASL_SSL");
        if (sasl && (username == null || password == null)) {
            throw new IllegalArgumentException("Kafka over SASL_SSL needs " + SafePathEnvironment.KAFKA_USERNAME.variable() + " and "
                    + SafePathEnvironment.KAFKA_PASSWORD.variable() + " (or " + SafePathEnvironment.KAFKA_PASSWORD.variable()
                    + SafePathEnvironment.FILE_SUFFIX + ")");
        }
        if (!sasl && username != null) {
            throw new IllegalArgumentException(SafePathEnvironment.KAFKA_USERNAME.variable() + " is set but "
                    + SafePathEnvironment.KAFKA_SECURITY_PROTOCOL.variable() + " is " + protocol + ": credentials are only sent over SASL_SSL");
        }
        saslMechanism = sasl ? (saslMechanism == null ? SASL_MECHANISMS.get(0) : saslMechanism.toUpperCase(Locale.ROOT)) : null;
        if (sasl && !SASL_MECHANISMS.contains(saslMechanism)) {
            throw new IllegalArgumentException(SafePathEnvironment.KAFKA_SASL_MECHANISM.variable() + " is " + saslMechanism
                    + "; it must be one of " + SASL_MECHANISMS);
        }
        if ((certificateFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("A Kafka client certificate needs both " + SafePathEnvironment.KAFKA_CERTIFICATE.variable()
                    + " and " + SafePathEnvironment.KAFKA_KEY.variable());
        }
        if (protocol.equals("PLAINTEXT") && (caFile != null || certificateFile != null)) {
            throw new IllegalArgumentException("A Kafka CA or client certificate is set but " + SafePathEnvironment.KAFKA_SECURITY_PROTOCOL.variable()
                    + " is PLAINTEXT: set it to SSL or SASL_SSL");
        }
    }

    /**
     * From {@code SAFEPATH_KAFKA_SECURITY_PROTOCOL} and the rest. Without a protocol: SASL_SSL when a user is given,
     * SSL when a CA or a client certificate is, else PLAINTEXT.
     */
    public static KafkaSecurity fromEnvironment() {
        return from(System::getenv);
    }

    /** As {@link #fromEnvironment()}, from the environment given (tests). */
    public static KafkaSecurity from(UnaryOperator<String> environment) {
        String user = SafePathEnvironment.KAFKA_USERNAME.value(environment);
        String ca = SafePathEnvironment.KAFKA_CA.value(environment);
        String certificate = SafePathEnvironment.KAFKA_CERTIFICATE.value(environment);
        String protocol = SafePathEnvironment.KAFKA_SECURITY_PROTOCOL.value(environment);
        if (protocol == null) {
            protocol = user != null ? "SASL_SSL" : ca != null || certificate != null ? "SSL" : "PLAINTEXT";
        }
        return new KafkaSecurity(protocol, SafePathEnvironment.KAFKA_SASL_MECHANISM.value(environment), user,
                SafePathEnvironment.KAFKA_PASSWORD.value(environment), ca, certificate,
                SafePathEnvironment.KAFKA_KEY.value(environment), SafePathEnvironment.KAFKA_KEY_PASSWORD.value(environment));
    }

    /** A Kafka client's properties for {@code bootstrapServers}, secured as the environment says. */
    public static Properties clientProperties(String bootstrapServers) {
        return fromEnvironment().asProperties(bootstrapServers);
    }

    /** A Kafka client's properties for {@code bootstrapServers}, secured as this says. */
    public Properties asProperties(String bootstrapServers) {
        Properties props = asProperties();
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    /** {@link #properties()} as the {@link Properties} a Kafka client or Flink's Kafka connector takes. */
    public Properties asProperties() {
        Properties props = new Properties();
        props.putAll(properties());
        return props;
    }

    /** The Kafka client settings (without the bootstrap servers); empty for PLAINTEXT. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (protocol.equals("PLAINTEXT")) {
            return p;
        }
        p.put("security.protocol", protocol);
        if (saslMechanism != null) {
            p.put("sasl.mechanism", saslMechanism);
            String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(username) + "\" password=\""
                    + jaasQuoted(password) + "\";");
        }
        if (caFile != null) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.certificates", read(caFile, SafePathEnvironment.KAFKA_CA));
        }
        if (certificateFile != null) {
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.certificate.chain", read(certificateFile, SafePathEnvironment.KAFKA_CERTIFICATE));
            p.put("ssl.keystore.key", read(keyFile, SafePathEnvironment.KAFKA_KEY));
            if (keyPassword != null) {
                p.put("ssl.key.password", keyPassword);
            }
        }
        return p;
    }

    /**
     * What to tell a person when Kafka refused SafePath's credentials or the TLS handshake failed ({@code failure} or
     * one of its causes), naming the settings to check; null for any other failure.
     */
    public static String refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
                return "the TLS handshake with Kafka failed (" + t.getMessage() + "). Check " + SafePathEnvironment.KAFKA_CA.variable()
                        + " (the CA of the brokers' certificates) and, for mutual TLS, " + SafePathEnvironment.KAFKA_CERTIFICATE.variable()
                        + " and " + SafePathEnvironment.KAFKA_KEY.variable() + ".";
            }
            if (t instanceof org.apache.kafka.common.errors.AuthenticationException) {
                return "Kafka refused SafePath's credentials (" + t.getMessage() + "). Check " + SafePathEnvironment.KAFKA_USERNAME.variable()
                        + " and " + SafePathEnvironment.KAFKA_PASSWORD.variable() + " (or its " + SafePathEnvironment.FILE_SUFFIX + " file).";
            }
        }
        return null;
    }

    /** Read where the client is configured (a job's main, a command): the files travel with the job's settings. */
    private static String read(String file, SafePathEnvironment variable) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            // The file's name is not a secret; its content is never in a message.
            throw new IllegalStateException(variable.variable() + " names " + file + ", which cannot be read: " + e.getMessage(), e);
        }
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** What an operator may read: the protocol, mechanism, user and files, never the password or the key. */
    @Override
    public String toString() {
        return "KafkaSecurity[" + protocol + (saslMechanism == null ? "" : ", " + saslMechanism + " as " + username)
                + (caFile == null ? "" : ", CA " + caFile) + (certificateFile == null ? "" : ", client certificate " + certificateFile) + "]";
    }
}
