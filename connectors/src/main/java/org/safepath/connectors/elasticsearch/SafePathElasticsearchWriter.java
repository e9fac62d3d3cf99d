package org.safepath.connectors.elasticsearch;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.elasticsearch.client.ResponseException;
import org.safepath.connectors.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends buffered index operations as bulk requests and sorts each item's outcome: written, obsolete (version
 * conflict: the stored document is newer), worth retrying (429/5xx, connection failures: with capped
 * exponential backoff and jitter), or rejected for good (dead-lettered, never retried).
 */
final class SafePathElasticsearchWriter extends AsyncSinkWriter<IndexOperation, IndexOperation> {

    private static final Logger LOG = LoggerFactory.getLogger(SafePathElasticsearchWriter.class);

    private final ElasticsearchSettings settings;
    private final RestClientTransport transport;
    private final ElasticsearchAsyncClient client;
    private final RejectedDocumentSink rejectedSink;
    private final ScheduledExecutorService retryScheduler;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** Set when the writer closes (the job cancelled, stopped or failing over): its own transport is closing too. */
    private volatile boolean closing;
    private final ElasticsearchOutage outage;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastBulkLatencyMillis = new AtomicLong();
    private final Counter sent;
    private final Counter retried;
    private final Counter rejected;
    private final Counter versionConflicts;

    SafePathElasticsearchWriter(ElementConverter<IndexOperation, IndexOperation> converter, WriterInitContext context,
                                AsyncSinkWriterConfiguration configuration, Collection<BufferedRequestState<IndexOperation>> state,
                                ElasticsearchSettings settings, RejectedDocumentSink rejectedSink) {
        super(converter, context, configuration, state);
        this.settings = settings;
        this.transport = ElasticsearchClients.transport(settings);
        this.client = ElasticsearchClients.async(transport);
        this.rejectedSink = rejectedSink;
        this.outage = ElasticsearchOutage.of(settings.firstUrl(), settings.maxOutage());
        this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "safepath-es-retry");
            t.setDaemon(true);
            return t;
        });
        try {
            rejectedSink.open();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the dead-letter channel for rejected documents: " + e.getMessage(), e);
        }
        MetricGroup metrics = context.metricGroup().addGroup("safepath_elasticsearch");
        sent = metrics.counter("documentsSent");
        retried = metrics.counter("documentsRetried");
        rejected = metrics.counter("documentsRejected");
        versionConflicts = metrics.counter("versionConflictSkips");
        metrics.gauge("bulkLatencyMillis", lastBulkLatencyMillis::get);
        metrics.gauge("inFlightRequests", inFlight::get);
    }

    @Override
    protected void submitRequestEntries(List<IndexOperation> operations, ResultHandler<IndexOperation> result) {
        List<BulkOperation> bulk = new ArrayList<>(operations.size());
        for (IndexOperation op : operations) {
            bulk.add(BulkOperation.of(b -> b.index(i -> i
                    .index(op.index())
                    .id(op.id())
                    .version(op.version())
                    .versionType(VersionType.ExternalGte)
                    .document(BinaryData.of(op.source(), "application/json")))));
        }
        long started = System.nanoTime();
        long startedMillis = System.currentTimeMillis();
        inFlight.incrementAndGet();
        client.bulk(BulkRequest.of(r -> r.operations(bulk))).whenComplete((response, failure) -> {
            inFlight.decrementAndGet();
            lastBulkLatencyMillis.set((System.nanoTime() - started) / 1_000_000);
            if (failure != null) {
                onRequestFailure(operations, result, failure, startedMillis);
            } else {
                onResponse(operations, response, result, startedMillis);
            }
        });
    }

    private void onResponse(List<IndexOperation> operations, BulkResponse response, ResultHandler<IndexOperation> result,
                            long requestStartedMillis) {
        outage.answered(requestStartedMillis, System.currentTimeMillis());
        List<IndexOperation> retry = new ArrayList<>();
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            IndexOperation op = operations.get(i);
            if (item.error() == null) {
                sent.inc();
                continue;
            }
            switch (BulkItemFailure.ofStatus(item.status())) {
                case VERSION_CONFLICT -> versionConflicts.inc();
                case RETRY -> retry.add(op);
                case REJECT -> {
                    String reason = item.error().type() + ": " + item.error().reason()
                            + (item.error().causedBy() != null ? " (" + item.error().causedBy().reason() + ")" : "");
                    try {
                        rejectedSink.reject(op, item.status(), reason);
                        rejected.inc();
                        LOG.warn("Elasticsearch rejected {}/{} ({}); dead-lettered: {}", op.index(), op.id(), item.status(), reason);
                    } catch (Exception e) {
                        result.completeExceptionally(new IOException("Elasticsearch rejected " + op.index() + "/" + op.id()
                                + " and the dead-letter topic could not take it: " + e.getMessage(), e));
                        return;
                    }
                }
            }
        }
        if (retry.isEmpty()) {
            consecutiveFailures.set(0);
            result.complete();
        } else {
            retryLater(retry, result);
        }
    }

    private void onRequestFailure(List<IndexOperation> operations, ResultHandler<IndexOperation> result, Throwable failure,
                                  long requestStartedMillis) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (closing) {
            // Cut off by this writer's own close, not by Elasticsearch: no outage to report. What was in flight is after
            // the last checkpoint, so it is written again when the job starts from there.
            LOG.debug("A bulk request was cut off as the writer closed: {}", describe(cause));
            return;
        }
        if (!isRetryable(cause)) {
            result.completeExceptionally(new IOException("Elasticsearch at " + settings.firstUrl()
                    + " refused a bulk request: " + cause.getMessage(), cause));
            return;
        }
        Duration down = outage.failed(requestStartedMillis, System.currentTimeMillis(), describe(cause));
        if (down.compareTo(settings.maxOutage()) > 0) {
            outage.gaveUp();
            result.completeExceptionally(new IOException("Elasticsearch at " + settings.firstUrl() + " has not answered for "
                    + Durations.spoken(down) + " (limit " + Durations.spoken(settings.maxOutage())
                    + "). Failing over so Flink restarts from the last checkpoint; nothing is dropped. Last error: " + describe(cause), cause));
            return;
        }
        retryLater(operations, result);
    }

    /** The failure in a few words: the innermost message, e.g. "Connection refused". */
    private static String describe(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    private static boolean isRetryable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof org.apache.http.ConnectionClosedException || t instanceof java.net.SocketException
                    || t instanceof org.apache.http.conn.ConnectTimeoutException) {
                return true;
            }
            if (t instanceof ResponseException re) {
                return BulkItemFailure.ofStatus(re.getResponse().getStatusLine().getStatusCode()) == BulkItemFailure.RETRY;
            }
            if (t instanceof TransportException te && te.statusCode() > 0) {
                return BulkItemFailure.ofStatus(te.statusCode()) == BulkItemFailure.RETRY;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Capped exponential backoff with jitter; the request keeps its in-flight slot meanwhile, which slows intake. */
    private void retryLater(List<IndexOperation> operations, ResultHandler<IndexOperation> result) {
        retried.inc(operations.size());
        int failures = Math.min(consecutiveFailures.incrementAndGet(), 20);
        long cap = settings.maxBackoff().toMillis();
        long base = Math.min(cap, settings.initialBackoff().toMillis() << Math.min(failures - 1, 16));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        retryScheduler.schedule(() -> result.retryForEntries(operations), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    protected long getSizeInBytes(IndexOperation operation) {
        return operation.sizeInBytes();
    }

    @Override
    public void close() {
        closing = true;
        super.close();
        retryScheduler.shutdownNow();
        rejectedSink.close();
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("Closing the Elasticsearch transport: {}", e.toString());
        }
    }
}
