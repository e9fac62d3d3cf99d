package org.safepath.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.connector.base.sink.writer.strategy.BasicRequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.BasicResultInfo;
import org.junit.jupiter.api.Test;

class PushbackRateLimitTest {

    @Test
    void theInFlightLimitHalvesWhenElasticsearchPushesBackAndRecoversOneAtATime() {
        PushbackRateLimit limit = new PushbackRateLimit(8, 1000);
        BasicRequestInfo request = new BasicRequestInfo(1000);
        for (int i = 0; i < 8; i++) {
            assertThat(limit.shouldBlock(request)).isFalse();
            limit.registerInFlightRequest(request);
        }
        assertThat(limit.shouldBlock(request)).as("eight in flight of eight").isTrue();

        limit.registerCompletedRequest(new BasicResultInfo(500, 1000));
        assertThat(limit.currentLimit()).isEqualTo(4);
        assertThat(limit.shouldBlock(request)).as("seven in flight, limit four").isTrue();
        limit.registerCompletedRequest(new BasicResultInfo(1000, 1000));
        limit.registerCompletedRequest(new BasicResultInfo(1000, 1000));
        assertThat(limit.currentLimit()).isEqualTo(1);
        limit.registerCompletedRequest(new BasicResultInfo(1000, 1000));
        assertThat(limit.currentLimit()).as("never below one").isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            limit.registerInFlightRequest(request);
            limit.registerCompletedRequest(new BasicResultInfo(0, 1000));
        }
        assertThat(limit.currentLimit()).as("never above the maximum").isEqualTo(8);
    }
}
