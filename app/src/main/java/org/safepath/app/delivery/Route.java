package org.safepath.app.delivery;

/**
 * Where one alert goes on one channel: the channel ({@code email}, {@code teams}, {@code slack}), the address
 * (a mailbox, or a webhook URL, which is a secret), and the label the delivery log and the logs show instead of a URL.
 */
public record Route(String channel, String address, String label) {

    @Override
    public String toString() {
        return channel + " " + label;
    }
}
