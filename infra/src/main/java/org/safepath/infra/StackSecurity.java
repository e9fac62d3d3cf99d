package org.safepath.infra;

import java.nio.file.Path;

/**
 * TLS and credentials for an embedded stack secured as a council's is: PEM files of a CA and of the certificate and
 * (PKCS#8) key it signed for 127.0.0.1, a Kafka SCRAM user, and an Elasticsearch superuser. The test that starts the
 * stack makes them; nothing here is a default anyone could rely on.
 */
public record StackSecurity(
        Path caCertificate,
        Path serverCertificate,
        Path serverKey,
        String kafkaUser,
        String kafkaPassword,
        String elasticsearchUser,
        String elasticsearchPassword) {

    @Override
    public String toString() {
        return "StackSecurity[CA " + caCertificate + ", Kafka user " + kafkaUser + ", Elasticsearch user " + elasticsearchUser + "]";
    }
}
