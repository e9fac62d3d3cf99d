package org.safepath.connectors.registry;

/** The registry answered with an error, or could not be reached; the message says which and what to do. */
public class RegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public RegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** Confluent's error code: 40401 subject not found (Apicurio says 40402), 40403 schema not found, 409 incompatible. */
    public int errorCode() {
        return errorCode;
    }

    public boolean notFound() {
        return status == 404;
    }
}
