package org.safepath.integration;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA of the test's own, and the certificates it signs: one for the services on 127.0.0.1 (Kafka's TLS
 * listeners, Elasticsearch's HTTPS, the registry's HTTPS) and one for SafePath as a Kafka client (mutual TLS). All
 * PEM files, keys in PKCS#8, as a council's platform team hands them over.
 */
record TestCertificates(Path ca, Path serverCertificate, Path serverKey, Path clientCertificate, Path clientKey) {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    static TestCertificates generate(Path dir) throws Exception {
        Files.createDirectories(dir);
        KeyPair caKeys = rsa();
        X500Name caName = new X500Name("CN=SafePath test CA, O=Test council");
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, serial(), from(), to(), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKeys.getPrivate());

        KeyPair serverKeys = rsa();
        X509Certificate server = sign(new JcaX509v3CertificateBuilder(caName, serial(), from(), to(), new X500Name("CN=127.0.0.1"),
                serverKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)), caKeys.getPrivate());

        KeyPair clientKeys = rsa();
        X509Certificate client = sign(new JcaX509v3CertificateBuilder(caName, serial(), from(), to(),
                new X500Name("CN=safepath-job, O=Test council"), clientKeys.getPublic())
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)), caKeys.getPrivate());

        return new TestCertificates(
                pem(dir.resolve("ca.pem"), "CERTIFICATE", ca.getEncoded()),
                pem(dir.resolve("server.pem"), "CERTIFICATE", server.getEncoded()),
                key(dir.resolve("server.key"), serverKeys.getPrivate()),
                pem(dir.resolve("client.pem"), "CERTIFICATE", client.getEncoded()),
                key(dir.resolve("client.key"), clientKeys.getPrivate()));
    }

    /** The body of a private key file, to look for in what SafePath printed. */
    static String keyBody(Path key) throws Exception {
        return Files.readAllLines(key).get(1);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey by) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(by)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofDays(1)));
    }

    private static Date to() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    /** A JCA private key encodes as PKCS#8, which is what Kafka, Elasticsearch and Quarkus read. */
    private static Path key(Path file, PrivateKey key) throws Exception {
        return pem(file, "PRIVATE KEY", key.getEncoded());
    }

    private static Path pem(Path file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
