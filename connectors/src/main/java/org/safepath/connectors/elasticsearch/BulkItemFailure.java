package org.safepath.connectors.elasticsearch;

/** What a failed bulk item (or a failed bulk request) means for the document in it. */
enum BulkItemFailure {
    /** The stored document has a newer as_of: our write is obsolete, which is success. */
    VERSION_CONFLICT,
    /** Elasticsearch is overloaded or briefly unavailable: back off and send again. */
    RETRY,
    /** Elasticsearch will never accept this document (mapping or parse error): dead-letter it. */
    REJECT;

    static BulkItemFailure ofStatus(int status) {
        if (status == 409) {
            return VERSION_CONFLICT;
        }
        if (status == 429 || status == 502 || status == 503 || status == 504 || status == 500) {
            return RETRY;
        }
        return REJECT;
    }
}
