package org.safepath.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ElasticsearchOutageTest {

    @Test
    void anAnswerToARequestSentBeforeTheOutageWasSeenDoesNotEndIt() {
        ElasticsearchOutage outage = ElasticsearchOutage.of("http://shutting-down.test:9200", Duration.ofMinutes(5));
        // A node shutting down: one request (sent at 1,000) finds the connection closed at 1,500 ...
        assertThat(outage.failed(1_000, 1_500, "Connection is closed")).isEqualTo(Duration.ofMillis(500));
        // ... another, sent at 1,200 while it still served, is answered at 1,600: that says nothing about now.
        outage.answered(1_200, 1_600);
        // The next refusal is the same outage, counted from its start, not a new one (no "back", no second "down").
        assertThat(outage.failed(1_650, 1_700, "Connection refused")).isEqualTo(Duration.ofMillis(700));
        // A request sent after the outage was seen, answered: it is over; a later failure is a new outage.
        outage.answered(61_000, 61_100);
        assertThat(outage.failed(70_000, 70_050, "Connection refused")).isEqualTo(Duration.ofMillis(50));
    }
}
