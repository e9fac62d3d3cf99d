package org.safepath.jobs.pipeline;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.safepath.connectors.kafka.DeadLetterRecord;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.IndicatorUpdate;

/** What a domain produces: indicator values, alert candidates (null when it has no alert rule), dead letters. */
public record DomainOutputs(DataStream<IndicatorUpdate> indicators, DataStream<AlertCandidate> alertCandidates,
                            DataStream<DeadLetterRecord> deadLetters) {
}
