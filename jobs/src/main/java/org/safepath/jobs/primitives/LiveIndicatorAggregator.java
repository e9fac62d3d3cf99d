package org.safepath.jobs.primitives;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.safepath.records.IndicatorValue;

/**
 * Keeps one dimension key's state for a domain's {@link IndicatorModel} and writes the key's values as of event
 * time T whenever T brings a change: a fact (at T rounded up to {@code granularity}, so a busy key writes at most
 * once per step), an instant the model names (a threshold crossing, a window exit), and each hour (history).
 * A late fact is applied at once: the history hours since its time are written again, then the current values.
 * While catching up, an hour's current values are not written when the next hour's, due in the same advance of the
 * watermark, replace them: the hour's history holds them.
 * Once a day (at the hour that starts a UTC day), state no window (nor a late fact) can need is forgotten; a key
 * with nothing left writes its last values and keeps no state or timers. (Hourly, the scan of a busy key's facts
 * was a third of a year-long backtest's time; a day's delay in forgetting changes no value.)
 *
 * <p>Early results: a provisional fact (from events the watermark has not passed) is laid over a copy of the
 * exact state and the current values as of its time are written at once, at most once a second per key. The
 * exact values replace them when the watermark passes (a newer or equal {@code as_of}), so a wrong guess is
 * corrected. History is only ever written from exact state; alerts only from exact current values.
 * For a model whose facts replace by identity ({@link IndicatorModel#replacesByIdentity}), a key's early state is
 * kept between its early writes and brought up to date fact by fact, instead of copied and laid over again.
 */
public final class LiveIndicatorAggregator<F extends IndicatorFact, S> extends KeyedProcessFunction<DimensionKey, F, IndicatorUpdate> {

    public static final OutputTag<AlertCandidate> ALERTS = new OutputTag<>("alert-candidates", TypeInformation.of(AlertCandidate.class));

    static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    /** A busy key writes early values at most this often (processing time). */
    static final long EARLY_EVERY_MILLIS = 1000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LiveIndicatorAggregator.class);

    private final IndicatorModel<F, S> model;
    private final TypeInformation<F> factType;
    private final long granularityMillis;
    private final long allowedLatenessMillis;
    private final long evaluateUntil;
    private final boolean writeHistory;
    private final long earlyWithinMillis;
    /** A bounded run of a model with no alerts: nothing is written between the hours, so nothing is evaluated there. */
    private final boolean hoursOnly;

    private transient ValueState<S> state;
    private transient TypeSerializer<S> stateSerializer;
    private transient ValueState<Long> nextTick;
    /** The instants the model's values change at with no event, still to come: a timer is kept for the earliest. */
    private transient ValueState<ChangeInstants> changes;
    private transient MapState<String, F> provisional;
    private transient ValueState<Long> lastEarlyWrite;
    private transient ValueState<Long> earlyWriteDue;
    private transient ValueState<Long> earlyAsOf;
    private transient Counter lateFacts;
    /**
     * Early states kept between a key's early writes (live runs of a model whose facts replace by identity). Not
     * Flink state: they are built again after a restore, like the early values they give.
     */
    private transient Map<DimensionKey, KeptEarly<F, S>> keptEarly;

    /** The live aggregator: evaluates without end and writes history. */
    public LiveIndicatorAggregator(IndicatorModel<F, S> model, TypeInformation<F> factType, Duration granularity, Duration allowedLateness) {
        this(model, factType, granularity, allowedLateness, Long.MAX_VALUE, true);
    }

    /**
     * {@code evaluateUntil}: a bounded run (backtest) evaluates up to and exactly at this event time, never after,
     * and writes current values only as of that instant; {@code writeHistory} false skips the hourly values.
     */
    public LiveIndicatorAggregator(IndicatorModel<F, S> model, TypeInformation<F> factType, Duration granularity,
                                   Duration allowedLateness, long evaluateUntil, boolean writeHistory) {
        this(model, factType, granularity, allowedLateness, evaluateUntil, writeHistory, Duration.ZERO);
    }

    /**
     * {@code earlyWithin}: for a domain whose facts are final when they arrive (no provisional facts), an exact fact
     * this recent (processing time) is shown at once, as a provisional write of the key's values as of its time,
     * before the watermark passes it. Zero: off.
     */
    public LiveIndicatorAggregator(IndicatorModel<F, S> model, TypeInformation<F> factType, Duration granularity,
                                   Duration allowedLateness, long evaluateUntil, boolean writeHistory, Duration earlyWithin) {
        this.earlyWithinMillis = earlyWithin.toMillis();
        this.model = model;
        this.factType = factType;
        this.granularityMillis = RollingCounter.roundUp(granularity.toMillis(), model.resolutionMillis());
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.evaluateUntil = evaluateUntil;
        this.writeHistory = writeHistory;
        this.hoursOnly = evaluateUntil != Long.MAX_VALUE && !model.raisesAlerts();
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("state", model.stateType()));
        stateSerializer = getRuntimeContext().createSerializer(model.stateType());
        nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("nextTick", Types.LONG));
        changes = getRuntimeContext().getState(new ValueStateDescriptor<>("changes", ChangeInstants.class));
        provisional = getRuntimeContext().getMapState(new MapStateDescriptor<>("provisional", Types.STRING, factType));
        lastEarlyWrite = getRuntimeContext().getState(new ValueStateDescriptor<>("lastEarlyWrite", Types.LONG));
        earlyWriteDue = getRuntimeContext().getState(new ValueStateDescriptor<>("earlyWriteDue", Types.LONG));
        earlyAsOf = getRuntimeContext().getState(new ValueStateDescriptor<>("earlyAsOf", Types.LONG));
        lateFacts = getRuntimeContext().getMetricGroup().counter("lateFacts");
        keptEarly = model.replacesByIdentity() && evaluateUntil == Long.MAX_VALUE ? new HashMap<>() : null;
    }

    /** An instant the model's values are exact at: rounded up to its resolution. */
    private long exact(long t) {
        return RollingCounter.roundUp(t, model.resolutionMillis());
    }

    private void schedule(TimerService timers, long t) {
        if (t <= evaluateUntil) {
            timers.registerEventTimeTimer(t);
        }
    }

    /** Schedules an evaluation between the hours: a fact's step ({@link #holdChangeInstants} for the model's instants). */
    private void scheduleStep(TimerService timers, long t) {
        if (!hoursOnly) {
            schedule(timers, t);
        }
    }

    @Override
    public void processElement(F fact, Context ctx, Collector<IndicatorUpdate> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (fact.provisional()) {
            onProvisional(fact, watermark, ctx, out);
            return;
        }
        S s = state.value();
        if (s == null) {
            s = model.emptyState();
        }
        holdChangeInstants(model.apply(s, fact), watermark, ctx.timerService());
        state.update(s);
        exactIntoKeptEarly(ctx.getCurrentKey(), fact);
        if (evaluateUntil != Long.MAX_VALUE) {
            schedule(ctx.timerService(), evaluateUntil);
        }
        long evaluateAt = Math.min(RollingCounter.roundUp(fact.factTime(), granularityMillis), evaluateUntil);
        if (evaluateAt <= watermark) {
            // Late: the hours already written from the fact's time on are written again with it, then the current value.
            lateFacts.inc();
            if (lateFacts.getCount() % 1000 == 1) {
                LOG.info("Late fact for {}: {} behind the watermark ({} so far)", ctx.getCurrentKey(),
                        Duration.ofMillis(watermark - fact.factTime()), lateFacts.getCount());
            }
            if (writeHistory) {
                for (long hour = RollingCounter.roundUp(fact.factTime(), HOUR); hour <= watermark; hour += HOUR) {
                    emit(hour, ctx, false, true, false, out);
                }
            }
            long t = Math.min(exact(watermark), evaluateUntil);
            emit(t, ctx, evaluateUntil == Long.MAX_VALUE || t == evaluateUntil, false, false, out);
            // Alerts as of the step the fact would have been evaluated at had it come on time: the same alert (and id)
            // however late it arrives, so a replay raises the same ids.
            emit(evaluateAt, ctx, false, false, true, out);
        } else {
            scheduleStep(ctx.timerService(), evaluateAt);
            if (earlyWithinMillis > 0 && evaluateUntil == Long.MAX_VALUE
                    && ctx.timerService().currentProcessingTime() - fact.factTime() <= earlyWithinMillis) {
                Long shown = earlyAsOf.value();
                earlyAsOf.update(shown == null ? fact.factTime() : Math.max(shown, fact.factTime()));
                writeEarlySoon(watermark, ctx, out);
            }
        }
        // Facts from different upstream subtasks arrive out of event-time order: the hourly chain starts at the
        // earliest fact's hour, even when a later fact arrived first. A tick already registered later still fires
        // and simply continues the chain when it gets there.
        long tick = RollingCounter.roundUp(watermark == Long.MIN_VALUE ? fact.factTime() : Math.max(fact.factTime(), watermark + 1), HOUR);
        Long scheduled = nextTick.value();
        if ((scheduled == null || tick < scheduled) && tick <= evaluateUntil) {
            schedule(ctx.timerService(), tick);
            nextTick.update(tick);
        }
    }

    private void onProvisional(F fact, long watermark, Context ctx, Collector<IndicatorUpdate> out) throws Exception {
        if (fact.factTime() <= watermark || evaluateUntil != Long.MAX_VALUE) {
            return; // the exact fact has come (or is on its way) by the same route
        }
        provisional.put(fact.identity(), fact);
        KeptEarly<F, S> kept = keptEarly == null ? null : keptEarly.get(ctx.getCurrentKey());
        if (kept != null) {
            kept.provisional.put(fact.identity(), fact);
            model.apply(kept.state, fact);
        }
        // The exact value of that step replaces the early one, even if no exact fact ever comes.
        schedule(ctx.timerService(), RollingCounter.roundUp(fact.factTime(), granularityMillis));
        writeEarlySoon(watermark, ctx, out);
    }

    /** Writes the early values now, or once a second has passed since the key's last early write. */
    private void writeEarlySoon(long watermark, Context ctx, Collector<IndicatorUpdate> out) throws Exception {
        if (earlyWriteDue.value() != null) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        Long last = lastEarlyWrite.value();
        if (last == null || now - last >= EARLY_EVERY_MILLIS) {
            emitEarly(watermark, ctx.getCurrentKey(), now, out);
        } else {
            ctx.timerService().registerProcessingTimeTimer(last + EARLY_EVERY_MILLIS);
            earlyWriteDue.update(last + EARLY_EVERY_MILLIS);
        }
    }

    /**
     * Current values as of the newest fact the watermark has not passed: a provisional one (laid over the exact
     * state) or an exact one that arrived early.
     */
    private void emitEarly(long watermark, DimensionKey key, long now, Collector<IndicatorUpdate> out) throws Exception {
        Early<S> early = keptEarly != null ? keptEarlyState(watermark, key) : laidOver(provisionalAfter(watermark));
        Long arrived = earlyAsOf.value();
        if (arrived != null && arrived <= watermark) {
            arrived = null;
        }
        if (early == null && arrived == null) {
            return;
        }
        S withEarly = early != null ? early.state() : state.value();
        if (withEarly == null) {
            withEarly = model.emptyState();
        }
        long newest = early == null ? arrived : arrived == null ? early.newest() : Math.max(arrived, early.newest());
        long t = exact(newest);
        for (IndicatorValue v : model.valuesAsOf(t, key, withEarly)) {
            out.collect(new IndicatorUpdate(v, IndicatorUpdate.Target.PROVISIONAL));
        }
        lastEarlyWrite.update(now);
    }

    /** An early state and the time of the newest provisional fact in it. */
    private record Early<S>(S state, long newest) {
    }

    /**
     * The provisional facts the watermark has not passed, in the order early values apply them. Each fact's time and
     * identity (the map's key) are read once: sorting a busy key's minute of facts through its accessors (a string
     * built per comparison) was a third of the early writes' time under load.
     */
    private List<Pending<F>> provisionalAfter(long watermark) throws Exception {
        List<Pending<F>> early = new ArrayList<>();
        for (Map.Entry<String, F> p : provisional.entries()) {
            long time = p.getValue().factTime();
            if (time > watermark) {
                early.add(new Pending<>(time, p.getKey(), p.getValue()));
            }
        }
        Pending.sort(early);
        return early;
    }

    /** The facts laid over a copy of the exact state; null when there are none. */
    private Early<S> laidOver(List<Pending<F>> early) throws Exception {
        if (early.isEmpty()) {
            return null;
        }
        S exactState = state.value();
        S withEarly = exactState == null ? model.emptyState() : model.copyOf(exactState, stateSerializer);
        for (Pending<F> p : early) {
            model.apply(withEarly, p.fact());
        }
        return new Early<>(withEarly, early.get(early.size() - 1).time());
    }

    /**
     * The key's kept early state, brought up to the watermark: a provisional fact it has passed gives way to the exact
     * fact of its identity that came under it. Built again (a copy laid over, as for any model) when there is none, or
     * when a passed provisional fact had no exact fact come under it: the exact state's fact of that identity is then
     * not known here. Null when no provisional fact is left.
     */
    private Early<S> keptEarlyState(long watermark, DimensionKey key) throws Exception {
        KeptEarly<F, S> kept = keptEarly.get(key);
        if (kept != null) {
            long newest = kept.passTo(watermark, model);
            if (newest == KeptEarly.REBUILD) {
                keptEarly.remove(key);
            } else if (newest == KeptEarly.NONE) {
                keptEarly.remove(key);
                return null;
            } else {
                return new Early<>(kept.state, newest);
            }
        }
        List<Pending<F>> facts = provisionalAfter(watermark);
        Early<S> early = laidOver(facts);
        if (early != null) {
            kept = new KeptEarly<>(early.state());
            for (Pending<F> p : facts) {
                kept.provisional.put(p.identity(), p.fact());
            }
            keptEarly.put(key, kept);
        }
        return early;
    }

    /** An exact fact is in the key's state now: its kept early state takes it too, or keeps it under a provisional one. */
    private void exactIntoKeptEarly(DimensionKey key, F fact) {
        KeptEarly<F, S> kept = keptEarly == null ? null : keptEarly.get(key);
        if (kept == null) {
            return;
        }
        String identity = fact.identity();
        if (kept.provisional.containsKey(identity)) {
            kept.exactUnder.put(identity, fact);
        } else {
            model.apply(kept.state, fact);
        }
    }

    /** The exact state changed other than by a fact (forgetting, clearing): the key's kept early state is built again. */
    private void forgetKeptEarly(DimensionKey key) {
        if (keptEarly != null) {
            keptEarly.remove(key);
        }
    }

    /**
     * A key's exact state with its provisional facts over it, kept between early writes: for a model whose facts
     * replace by identity, that is the exact state with each provisional fact in place of its identity's, whatever
     * the order. So a provisional fact is applied to it when it comes; an exact fact too, unless a provisional fact of
     * its identity lies over it, when it waits under it until the watermark passes the provisional one.
     */
    static final class KeptEarly<F extends IndicatorFact, S> {
        static final long NONE = Long.MIN_VALUE;
        static final long REBUILD = Long.MIN_VALUE + 1;

        final S state;
        /** The provisional facts applied to it, by identity. */
        final Map<String, F> provisional = new HashMap<>();
        /** The newest exact fact of an identity that came while a provisional fact of it lay over it. */
        final Map<String, F> exactUnder = new HashMap<>();

        KeptEarly(S state) {
            this.state = state;
        }

        /**
         * Takes out the provisional facts the watermark has passed, each giving way to the exact fact under it.
         * Returns the newest provisional fact's time; {@link #NONE} when none is left, {@link #REBUILD} when one had
         * no exact fact under it.
         */
        long passTo(long watermark, IndicatorModel<F, S> model) {
            long newest = NONE;
            Iterator<Map.Entry<String, F>> facts = provisional.entrySet().iterator();
            while (facts.hasNext()) {
                Map.Entry<String, F> p = facts.next();
                long time = p.getValue().factTime();
                if (time > watermark) {
                    newest = Math.max(newest, time);
                    continue;
                }
                F exact = exactUnder.remove(p.getKey());
                if (exact == null) {
                    return REBUILD;
                }
                model.apply(state, exact);
                facts.remove();
            }
            return newest;
        }
    }

    /** A provisional fact with its time and identity, in the order early values apply them: by time, then identity. */
    record Pending<F>(long time, String identity, F fact) implements Comparable<Pending<F>> {
        @Override
        public int compareTo(Pending<F> other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : identity.compareTo(other.identity);
        }

        /**
         * Puts the facts in their order. A busy key sorts its whole minute of provisional facts every second; as
         * objects, the comparisons were 8 % of the jobs' time under the benchmark's load. So, while their times span
         * less than 2^32 ms (49 days; provisional facts are recent), each becomes one long, its time from the earliest
         * above its index, and the longs are sorted as primitives; only facts at the same instant are then put in
         * identity order. Otherwise, the objects are sorted.
         */
        static <F> void sort(List<Pending<F>> facts) {
            int n = facts.size();
            if (n < 2) {
                return;
            }
            long earliest = Long.MAX_VALUE;
            long latest = Long.MIN_VALUE;
            for (Pending<F> p : facts) {
                earliest = Math.min(earliest, p.time);
                latest = Math.max(latest, p.time);
            }
            if (latest - earliest >= 1L << 32) {
                facts.sort(null);
                return;
            }
            long[] order = new long[n];
            for (int i = 0; i < n; i++) {
                order[i] = (facts.get(i).time - earliest) << 31 | i;
            }
            java.util.Arrays.sort(order);
            List<Pending<F>> sorted = new ArrayList<>(n);
            for (long o : order) {
                sorted.add(facts.get((int) (o & Integer.MAX_VALUE)));
            }
            for (int from = 0; from < n; ) {
                int to = from + 1;
                while (to < n && sorted.get(to).time == sorted.get(from).time) {
                    to++;
                }
                if (to - from > 1) {
                    sorted.subList(from, to).sort(null);
                }
                from = to;
            }
            for (int i = 0; i < n; i++) {
                facts.set(i, sorted.get(i));
            }
        }
    }

    /**
     * Holds the instants (after the watermark) at which a fact's values change with no event, evaluated between the
     * hours; the timer moves to the earliest if they bring one earlier than any held.
     */
    private void holdChangeInstants(Collection<Long> instants, long watermark, TimerService timers) throws Exception {
        ChangeInstants coming = null;
        long earliestBefore = Long.MAX_VALUE;
        for (long t : instants) {
            long at = exact(t);
            if (at > watermark && !hoursOnly && at <= evaluateUntil) {
                if (coming == null) {
                    ChangeInstants held = changes.value();
                    coming = held != null ? held : new ChangeInstants();
                    earliestBefore = coming.isEmpty() ? Long.MAX_VALUE : coming.earliest();
                }
                coming.add(at);
            }
        }
        if (coming != null) {
            if (coming.earliest() < earliestBefore) {
                timers.registerEventTimeTimer(coming.earliest());
            }
            changes.update(coming);
        }
    }

    /**
     * The change instants up to t are being evaluated (this timer, or an earlier one): the timer moves on to the next.
     * (A checkpoint from before the instants were held has a timer for each; those fire as they always did.)
     */
    private void passChangesUpTo(long t, TimerService timers) throws Exception {
        ChangeInstants coming = changes.value();
        if (coming == null || coming.earliest() > t) {
            return;
        }
        coming.removeUpTo(t);
        if (coming.isEmpty()) {
            changes.clear();
        } else {
            timers.registerEventTimeTimer(coming.earliest());
            changes.update(coming);
        }
    }

    /** The watermark has passed these: their exact facts are in the key's state now. */
    private void dropProvisionalUpTo(long watermark, DimensionKey key) throws Exception {
        Iterator<Map.Entry<String, F>> p = provisional.iterator();
        while (p.hasNext()) {
            if (p.next().getValue().factTime() <= watermark) {
                p.remove();
            }
        }
        Long arrived = earlyAsOf.value();
        if (arrived != null && arrived <= watermark) {
            earlyAsOf.clear();
            arrived = null;
        }
        if (provisional.isEmpty() && arrived == null) {
            provisional.clear();
            lastEarlyWrite.clear();
            forgetKeptEarly(key);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IndicatorUpdate> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            earlyWriteDue.clear();
            emitEarly(ctx.timerService().currentWatermark(), ctx.getCurrentKey(), timestamp, out);
            return;
        }
        dropProvisionalUpTo(timestamp, ctx.getCurrentKey());
        passChangesUpTo(timestamp, ctx.timerService());
        Long tick = nextTick.value();
        boolean hourly = tick != null && tick == timestamp;
        boolean current = (evaluateUntil == Long.MAX_VALUE || timestamp == evaluateUntil)
                && !(hourly && supersededInThisAdvance(timestamp, ctx.timerService().currentWatermark()));
        emit(timestamp, ctx, current, hourly && writeHistory, true, out);
        if (hourly) {
            S s = state.value();
            boolean forget = timestamp % DAY == 0;
            if (s != null && forget) {
                model.forgetBefore(s, timestamp - model.longestWindowMillis() - allowedLatenessMillis);
                forgetKeptEarly(ctx.getCurrentKey());
            }
            if (s == null || forget && model.isEmpty(s)) {
                state.clear();
                nextTick.clear();
            } else {
                state.update(s);
                if (timestamp + HOUR <= evaluateUntil) {
                    schedule(ctx.timerService(), timestamp + HOUR);
                    nextTick.update(timestamp + HOUR);
                } else {
                    nextTick.clear();
                }
            }
        }
    }

    /**
     * Catching up (the watermark already at or past the next hour): the next hour's tick fires in this same advance of
     * the watermark and writes a newer current value, so this hour's would be overwritten within milliseconds. Its
     * value is still written to the hour's history. A tick that may end the key's chain (the daily forgetting, at
     * the start of a UTC day) and a run without history always write theirs. Catching up a month writes half the
     * documents it did.
     */
    private boolean supersededInThisAdvance(long hour, long watermark) {
        return writeHistory && evaluateUntil == Long.MAX_VALUE && hour % DAY != 0 && hour + HOUR <= watermark;
    }

    /**
     * Writes the values as of t where asked; {@code alerts}: an exact evaluation in event-time order (not a past hour
     * written again), whose alert candidates go to the alert rule, in a backtest too.
     */
    private void emit(long t, Context ctx, boolean current, boolean history, boolean alerts, Collector<IndicatorUpdate> out)
            throws Exception {
        S s = state.value();
        if (s == null) {
            s = model.emptyState();
        }
        if (alerts) {
            for (AlertCandidate a : model.alertsAsOf(t, ctx.getCurrentKey(), s)) {
                ctx.output(ALERTS, a);
            }
        }
        if (!current && !history) {
            return;
        }
        for (IndicatorValue v : model.valuesAsOf(t, ctx.getCurrentKey(), s)) {
            if (current) {
                out.collect(new IndicatorUpdate(v, IndicatorUpdate.Target.CURRENT));
            }
            if (history) {
                out.collect(new IndicatorUpdate(current ? IndicatorValue.newBuilder(v).build() : v, IndicatorUpdate.Target.HISTORY));
            }
        }
    }
}
