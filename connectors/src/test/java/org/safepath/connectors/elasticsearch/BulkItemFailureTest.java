package org.safepath.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BulkItemFailureTest {

    @Test
    void overloadAndUnavailabilityAreRetriedAVersionConflictIsDoneAndAMappingErrorIsRejected() {
        for (int status : new int[]{429, 500, 502, 503, 504}) {
            assertThat(BulkItemFailure.ofStatus(status)).as("%d", status).isEqualTo(BulkItemFailure.RETRY);
        }
        assertThat(BulkItemFailure.ofStatus(409)).isEqualTo(BulkItemFailure.VERSION_CONFLICT);
        for (int status : new int[]{400, 404, 413}) {
            assertThat(BulkItemFailure.ofStatus(status)).as("%d", status).isEqualTo(BulkItemFailure.REJECT);
        }
    }
}
