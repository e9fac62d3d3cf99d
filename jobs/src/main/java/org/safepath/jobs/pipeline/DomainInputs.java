package org.safepath.jobs.pipeline;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.primitives.TrackedEvent;
import org.safepath.schemas.EventStream;

/**
 * The event streams a domain reads, read once however many domains use them: events that could be read, with
 * event-time timestamps and watermarks (what could not be read is dead-lettered by the inputs themselves).
 * Kafka topics in the live job, event files in a backtest.
 */
public interface DomainInputs {

    <T extends TrackedEvent> DataStream<T> events(EventStream stream, Class<T> type);

    /** The provider reference data (compacted topic), with no event time: joined as broadcast state. */
    DataStream<ProviderReference> providerReference();
}
