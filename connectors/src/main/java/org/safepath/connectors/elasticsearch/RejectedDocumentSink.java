package org.safepath.connectors.elasticsearch;

import java.io.Serializable;

/** Where a document Elasticsearch rejects for good goes, so it is kept rather than retried forever. */
public interface RejectedDocumentSink extends Serializable {

    void open() throws Exception;

    /** Must not return before the rejection is durably kept; throwing fails the job (nothing is lost). */
    void reject(IndexOperation operation, int status, String reason) throws Exception;

    void close();
}
