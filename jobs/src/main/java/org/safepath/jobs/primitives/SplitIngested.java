package org.safepath.jobs.primitives;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.connectors.kafka.Ingested;

/** Sends what the source could read on, and what it could not to the dead-letter side output. */
public final class SplitIngested<T> extends ProcessFunction<Ingested<T>, T> {
    @Override
    public void processElement(Ingested<T> in, Context ctx, Collector<T> out) {
        if (in.deadLetter != null) {
            ctx.output(DeadLetters.TAG, in.deadLetter);
        } else {
            out.collect(in.event);
        }
    }
}
