package org.safepath.jobs.primitives;

import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.util.Collector;
import org.safepath.records.DeadLetterReason;

/**
 * Follows one subject's episodes (a person's hospital spell, a wait on a list) through a domain's transition
 * table, in event-time order: each event type maps to a {@link Transition} that updates the subject's state and
 * emits the facts it changes, or rejects the event, which is dead-lettered with its reason. When an attribute
 * that is part of a dimension key changes (a pathway, a priority), the transition emits the episode's move away
 * from the old key and its arrival at the new one. The subject is forgotten at the instant its domain says
 * ({@link #forgetAt}), once no episode is open. Early results: events still waiting for the watermark are applied,
 * in order, to a copy of the state and their facts emitted marked provisional (see {@link EventTimeOrderedFunction}).
 */
public abstract class EpisodeTracker<K, E extends TrackedEvent, S, F extends TimedFact> extends EventTimeOrderedFunction<K, E, F> {

    /** Why an event cannot be applied to the subject as it stands. */
    public record Rejection(DeadLetterReason reason, String detail) {
    }

    /** One row of the transition table: applies an event to the state, emitting facts; or says why it cannot. */
    @FunctionalInterface
    public interface Transition<E, S, F> extends java.io.Serializable {
        Rejection apply(E event, S state, Collector<F> out);
    }

    private final TypeInformation<S> stateType;
    private transient ValueState<S> subject;
    private transient TypeSerializer<S> serializer;

    protected EpisodeTracker(TypeInformation<E> eventType, TypeInformation<S> stateType, long earlyWithinMillis) {
        super(eventType, earlyWithinMillis);
        this.stateType = stateType;
    }

    /** The transition table: the row for each event type the domain accepts. */
    protected abstract Map<Object, Transition<E, S, F>> transitions();

    /** The event's type: the key of its row in the table. */
    protected abstract Object typeOf(E event);

    protected abstract S emptyState();

    /** Marks a fact as provisional (derived from events the watermark has not passed). */
    private F provisional(F fact) {
        fact.provisional = true;
        return fact;
    }

    /** When the subject, as it now stands, can be forgotten (no episode open, no rule looking back): null to keep it. */
    protected abstract Long forgetAt(S state);

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        subject = getRuntimeContext().getState(new ValueStateDescriptor<>("subject", stateType));
        serializer = getRuntimeContext().createSerializer(stateType);
    }

    private Rejection apply(E e, S state, Collector<F> out) {
        Transition<E, S, F> t = transitions().get(typeOf(e));
        if (t == null) {
            return new Rejection(DeadLetterReason.UNKNOWN_CODE, "event type " + typeOf(e) + " has no transition");
        }
        return t.apply(e, state, out);
    }

    @Override
    protected void onEvent(E e, Context ctx, Collector<F> out) throws Exception {
        S s = subject.value();
        if (s == null) {
            s = emptyState();
        }
        Rejection rejected = apply(e, s, out);
        if (rejected != null) {
            ctx.output(DeadLetters.TAG, e.deadLetter(rejected.reason(), rejected.detail()));
            return;
        }
        subject.update(s);
        Long forget = forgetAt(s);
        if (forget != null) {
            ctx.timerService().registerEventTimeTimer(forget);
        }
    }

    /**
     * The facts of the events still waiting for the watermark, applied in event-time order to a copy of the state:
     * shown within a second. An event that cannot be applied yet is left out here and judged when the watermark passes.
     */
    @Override
    protected void onEarly(List<E> waiting, Context ctx, Collector<F> out) throws Exception {
        S current = subject.value();
        S copy = current == null ? emptyState() : serializer.copy(current);
        Collector<F> provisional = new Collector<>() {
            @Override
            public void collect(F fact) {
                out.collect(provisional(fact));
            }

            @Override
            public void close() {
            }
        };
        for (E e : waiting) {
            apply(e, copy, provisional);
        }
    }

    @Override
    protected void onTime(long timestamp, OnTimerContext ctx, Collector<F> out) throws Exception {
        S s = subject.value();
        if (s == null) {
            return;
        }
        Long forget = forgetAt(s);
        if (forget != null && forget <= timestamp) {
            subject.clear();
        }
    }
}
