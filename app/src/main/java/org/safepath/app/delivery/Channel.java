package org.safepath.app.delivery;

/** One way of reaching people (email, a Teams or Slack webhook). {@link #send} returns only once the far end accepted. */
public interface Channel extends AutoCloseable {

    String name();

    void send(AlertMessage message, Route route) throws Exception;

    @Override
    default void close() {
    }
}
