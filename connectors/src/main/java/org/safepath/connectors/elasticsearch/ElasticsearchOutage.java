package org.safepath.connectors.elasticsearch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.safepath.connectors.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator is told when Elasticsearch stops answering: one clear line when the outage starts (what is
 * down, since when, what SafePath does about it and when it gives up), a reminder once a minute while it lasts,
 * and one line when it is over. Shared by every sink writer of a process that writes to the same cluster, so
 * two writers do not report the same outage twice.
 */
final class ElasticsearchOutage {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchOutage.class);
    private static final Map<String, ElasticsearchOutage> BY_CLUSTER = new ConcurrentHashMap<>();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    static final Duration REMIND_EVERY = Duration.ofMinutes(1);

    private final String url;
    private volatile Duration limit;
    private long startedMillis;
    private long firstFailureMillis;
    private long remindedMillis;

    private ElasticsearchOutage(String url, Duration limit) {
        this.url = url;
        this.limit = limit;
    }

    static ElasticsearchOutage of(String url, Duration limit) {
        ElasticsearchOutage outage = BY_CLUSTER.computeIfAbsent(url, u -> new ElasticsearchOutage(u, limit));
        outage.limit = limit;
        return outage;
    }

    /**
     * A request started at {@code requestStartedMillis} failed in a way worth retrying. Returns how long the
     * cluster has been unavailable.
     */
    synchronized Duration failed(long requestStartedMillis, long nowMillis, String cause) {
        if (startedMillis == 0) {
            startedMillis = requestStartedMillis;
            firstFailureMillis = nowMillis;
            remindedMillis = nowMillis;
            LOG.warn("Elasticsearch at {} is not answering since {} ({}). SafePath keeps the documents to write and retries "
                            + "with backoff; nothing is dropped. If it is still down at {}, the job fails over to its last checkpoint "
                            + "and tries again from there.", url, CLOCK.format(Instant.ofEpochMilli(startedMillis)), cause,
                    CLOCK.format(Instant.ofEpochMilli(startedMillis + limit.toMillis())));
        } else if (nowMillis - remindedMillis >= REMIND_EVERY.toMillis()) {
            remindedMillis = nowMillis;
            LOG.warn("Elasticsearch at {} still not answering after {} ({}); documents are waiting, none dropped; failing over at {}.",
                    url, Durations.spoken(Duration.ofMillis(nowMillis - startedMillis)), cause,
                    CLOCK.format(Instant.ofEpochMilli(startedMillis + limit.toMillis())));
        }
        return Duration.ofMillis(nowMillis - startedMillis);
    }

    /**
     * A bulk request sent at {@code requestStartedMillis} was answered: the outage, if there was one, is over, unless
     * the request was sent before the outage was seen. A node shutting down answers the requests it already has
     * while refusing new connections; that answer says nothing about now, and taking it as the end of the outage
     * told the operator "back" and "down" again within the same second.
     */
    synchronized void answered(long requestStartedMillis, long nowMillis) {
        if (startedMillis != 0 && requestStartedMillis >= firstFailureMillis) {
            LOG.warn("Elasticsearch at {} is answering again after {}; the waiting documents are being written.", url,
                    Durations.spoken(Duration.ofMillis(nowMillis - startedMillis)));
            startedMillis = 0;
        }
    }

    /** The writer gives up: the outage passed its limit and the job fails over. Reported by the writer's exception. */
    synchronized void gaveUp() {
        startedMillis = 0;
    }

}
