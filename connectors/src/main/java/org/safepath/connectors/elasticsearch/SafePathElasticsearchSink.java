package org.safepath.connectors.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The Elasticsearch sink every SafePath job writes through: whole documents with deterministic ids and
 * external versions, at-least-once with a flush on every checkpoint (exactly-once results, since every write
 * is idempotent), failures classified so a poison document is dead-lettered instead of retried forever.
 */
public final class SafePathElasticsearchSink extends AsyncSinkBase<IndexOperation, IndexOperation> {

    private final ElasticsearchSettings settings;
    private final RejectedDocumentSink rejectedSink;

    private SafePathElasticsearchSink(ElasticsearchSettings settings, RejectedDocumentSink rejectedSink) {
        super((operation, context) -> operation,
                settings.maxBatchActions(),
                settings.maxInFlightRequests(),
                settings.maxBufferedRequests(),
                settings.maxBatchBytes(),
                settings.maxTimeInBufferMillis(),
                settings.maxBatchBytes(),
                // Retries are ours (classified, with backoff); the framework's timeout only guards a lost callback.
                settings.maxOutage().toMillis() + settings.requestTimeout().toMillis() * 2,
                false);
        this.settings = settings;
        this.rejectedSink = rejectedSink;
    }

    public static SafePathElasticsearchSink create(ElasticsearchSettings settings, RejectedDocumentSink rejectedSink) {
        return new SafePathElasticsearchSink(settings, rejectedSink);
    }

    @Override
    public StatefulSinkWriter<IndexOperation, BufferedRequestState<IndexOperation>> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<IndexOperation, BufferedRequestState<IndexOperation>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<IndexOperation>> recoveredState) {
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .setRateLimitingStrategy(new PushbackRateLimit(getMaxInFlightRequests(), getMaxBatchSize()))
                .build();
        return new SafePathElasticsearchWriter(getElementConverter(), context, configuration, recoveredState, settings, rejectedSink);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<IndexOperation>> getWriterStateSerializer() {
        return new OperationStateSerializer();
    }

    /** Buffered operations in a checkpoint: index, id, version, source. */
    static final class OperationStateSerializer extends AsyncSinkWriterStateSerializer<IndexOperation> {
        @Override
        protected void serializeRequestToStream(IndexOperation op, DataOutputStream out) throws IOException {
            out.writeUTF(op.index());
            out.writeUTF(op.id());
            out.writeLong(op.version());
            out.writeInt(op.source().length);
            out.write(op.source());
        }

        @Override
        protected IndexOperation deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
            String index = in.readUTF();
            String id = in.readUTF();
            long version = in.readLong();
            byte[] source = new byte[in.readInt()];
            in.readFully(source);
            return new IndexOperation(index, id, version, source);
        }

        @Override
        public int getVersion() {
            return 1;
        }
    }
}
