package org.safepath.app;

/** A command given wrongly: the message names the option and what it takes; the exit code is 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
