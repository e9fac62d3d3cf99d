package org.safepath.jobs.primitives;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.safepath.records.IndicatorValue;

/**
 * What a domain tells the {@link LiveIndicatorAggregator} about one kind of key: its state (a Flink POJO), how a
 * fact changes it, the instants at which its values change with no event, and its values as of an instant.
 *
 * <p>{@link #valuesAsOf} must use only what happened at or before T: the state may already hold facts after T
 * (they arrive before the watermark passes them), and late facts make the aggregator write past hours again.
 */
public interface IndicatorModel<F extends IndicatorFact, S> extends Serializable {

    /** An empty state for a new key (a Flink POJO). */
    S emptyState();

    /** The state's Flink type: by default that of {@link #emptyState}'s class. */
    @SuppressWarnings("unchecked")
    default TypeInformation<S> stateType() {
        return (TypeInformation<S>) TypeInformation.of(emptyState().getClass());
    }

    /** Applies the fact; returns the instants after it at which values change with no further event. */
    Collection<Long> apply(S state, F fact);

    List<IndicatorValue> valuesAsOf(long t, DimensionKey key, S state);

    /**
     * A copy of the state that {@link #apply} may change without changing the original: early values lay provisional
     * facts over it (every second on a busy key, unless the model {@link #replacesByIdentity}, when the copy is kept and
     * brought up to date). By default a deep copy by Flink's serializer; a model whose {@code apply} only puts and
     * removes facts (never changes one in place) may copy less.
     */
    default S copyOf(S state, TypeSerializer<S> serializer) {
        return serializer.copy(state);
    }

    /**
     * Whether a fact replaces what the last fact of its identity applied, and facts of different identities may be
     * applied in any order: the state is then the newest fact of each identity (as when the state is a map by
     * identity). The live aggregator then keeps a busy key's early state between early writes and applies only what
     * came since, instead of copying the state and laying a minute of provisional facts over it every second.
     */
    default boolean replacesByIdentity() {
        return false;
    }

    /** Forgets what no value as of {@code horizon} or later can need. */
    void forgetBefore(S state, long horizon);

    boolean isEmpty(S state);

    /** The longest window any value looks back over: with the allowed lateness, how long state is kept. */
    long longestWindowMillis();

    /**
     * Values are exact at multiples of this (a {@link RollingCounter}'s bucket); every instant the aggregator
     * evaluates at is rounded up to one. 1 ms: exact at any instant.
     */
    default long resolutionMillis() {
        return 1;
    }

    /** Alerts the values as of T call for (empty for most models); raised from exact current values only. */
    default List<AlertCandidate> alertsAsOf(long t, DimensionKey key, S state) {
        return List.of();
    }

    /**
     * Whether {@link #alertsAsOf} can return anything. A bounded run (backtest) of a model that cannot evaluates only
     * what it writes: each hour and the final instant, not every fact's step and change instant.
     */
    default boolean raisesAlerts() {
        return false;
    }
}
