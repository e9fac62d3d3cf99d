package org.safepath.connectors.elasticsearch;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * How many bulk requests may be in flight: halves when Elasticsearch pushes back (a request with items to
 * retry), grows by one with each clean request, never above the configured maximum nor below one. While it
 * is small the writer's buffer fills and back-pressure reaches the Kafka source.
 */
final class PushbackRateLimit implements RateLimitingStrategy {

    private final int maxInFlight;
    private final int maxBatchSize;
    private int limit;
    private int inFlight;

    PushbackRateLimit(int maxInFlight, int maxBatchSize) {
        this.maxInFlight = maxInFlight;
        this.maxBatchSize = maxBatchSize;
        this.limit = maxInFlight;
    }

    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {
        inFlight++;
    }

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {
        inFlight = Math.max(0, inFlight - 1);
        limit = resultInfo.getFailedMessages() > 0 ? Math.max(1, limit / 2) : Math.min(maxInFlight, limit + 1);
    }

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
        return inFlight >= limit;
    }

    @Override
    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    int currentLimit() {
        return limit;
    }
}
