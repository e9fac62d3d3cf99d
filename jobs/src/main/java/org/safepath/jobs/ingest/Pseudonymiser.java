package org.safepath.jobs.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a person identifier with a keyed pseudonym, HMAC-SHA256 under the deployment's secret, so streams
 * join on the person without anyone downstream learning who it is. The key comes from a file or an
 * environment variable, never from code or configuration files under version control.
 */
public final class Pseudonymiser {

    public static final String KEY_ENV = org.safepath.connectors.config.SafePathEnvironment.PSEUDONYM_KEY.variable();
    public static final String KEY_FILE_ENV = KEY_ENV + org.safepath.connectors.config.SafePathEnvironment.FILE_SUFFIX;
    private static final int MIN_KEY_BYTES = 16;

    private final Mac mac;

    private Pseudonymiser(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The pseudonymisation key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Pseudonymiser withKey(byte[] key) {
        return new Pseudonymiser(key);
    }

    /** The key from the file named by {@code keyFile}, else SAFEPATH_PSEUDONYM_KEY_FILE, else SAFEPATH_PSEUDONYM_KEY. */
    public static Pseudonymiser fromKeySource(String keyFile) {
        String file = keyFile != null ? keyFile : System.getenv(KEY_FILE_ENV);
        try {
            if (file != null) {
                return new Pseudonymiser(Files.readAllBytes(Path.of(file)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the pseudonymisation key file " + file + ": " + e.getMessage(), e);
        }
        String key = System.getenv(KEY_ENV);
        if (key != null) {
            return new Pseudonymiser(key.getBytes(StandardCharsets.UTF_8));
        }
        throw new IllegalStateException("No pseudonymisation key: pass --pseudonym-key-file, or set " + KEY_FILE_ENV
                + " or " + KEY_ENV + ". Person identifiers are never processed in clear.");
    }

    /** The pseudonym of an NHS number (spaces and dashes ignored). */
    public String ofNhsNumber(String nhsNumber) {
        return pseudonym("nhs:" + nhsNumber.replace(" ", "").replace("-", ""));
    }

    /** The pseudonym of a council's own person id, scoped by the council so ids of two councils never collide. */
    public String ofCouncilPersonId(String localAuthority, String councilPersonId) {
        return pseudonym("council:" + localAuthority + ":" + councilPersonId.trim());
    }

    private synchronized String pseudonym(String identifier) {
        byte[] digest = mac.doFinal(identifier.getBytes(StandardCharsets.UTF_8));
        return "p_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
