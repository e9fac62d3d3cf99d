package org.safepath.jobs.discharge;

import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.IndicatorDocuments;
import org.safepath.connectors.elasticsearch.IndicatorDocuments.Value;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * Keyed by (local authority, hospital site, pathway): keeps the key's episodes of no criteria to reside and
 * its readmissions, and writes every discharge indicator as of event time T whenever T brings a change:
 * an event (rounded up to {@code granularity}, so a busy key writes at most once per step), an open episode
 * crossing 7/14/21 days, an event leaving a rolling window, and each hour (the history documents).
 * A late event is applied at once: the history hours since its time are written again, then the current
 * value as of the watermark. State no window (nor a late event) can need any more is dropped at the hourly tick; a key with nothing left writes its zeros and keeps no state.
 *
 * <p>Early results: a provisional fact (from events the watermark has not passed yet) is laid over the key's
 * exact state and the current values as of its time are written within a second (at most once a second per key).
 * The exact values replace them when the watermark passes: provisional facts are dropped then, and the exact
 * evaluation at the next step writes a newer {@code as_of}, so a wrong guess (an event that arrived out of order,
 * or was dead-lettered) is corrected. History documents are only ever written from exact state.
 */
public final class DischargeIndicatorAggregator extends KeyedProcessFunction<String, DischargeFact, IndexOperation> {

    static final long HOUR = 3_600_000L;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DischargeIndicatorAggregator.class);

    private final IndicatorCatalogue catalogue;
    private final long granularityMillis;
    private final long allowedLatenessMillis;
    private transient org.apache.flink.metrics.Counter lateFacts;
    private transient DischargeIndicators indicators;
    private transient MapState<String, DischargeFact> episodes;
    private transient MapState<String, Long> readmissions;
    private transient ValueState<Long> nextTick;
    private transient MapState<String, DischargeFact> provisional;
    private transient ValueState<Long> lastEarlyWrite;
    private transient ValueState<Long> earlyWriteDue;

    /** A busy key writes early values at most this often (processing time). */
    static final long EARLY_EVERY_MILLIS = 1000;

    private final long evaluateUntil;

    public DischargeIndicatorAggregator(IndicatorCatalogue catalogue, Duration granularity, Duration allowedLateness) {
        this(catalogue, granularity, allowedLateness, Long.MAX_VALUE, true);
    }

    private final boolean writeHistory;

    /**
     * {@code evaluateUntil}: a bounded run (backtest) evaluates up to and exactly at this event time, never after,
     * and writes current values only as of that instant; {@code writeHistory} false skips the hourly documents.
     */
    public DischargeIndicatorAggregator(IndicatorCatalogue catalogue, Duration granularity, Duration allowedLateness,
                                        long evaluateUntil, boolean writeHistory) {
        this.writeHistory = writeHistory;
        this.catalogue = catalogue;
        this.granularityMillis = granularity.toMillis();
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.evaluateUntil = evaluateUntil;
    }

    private void schedule(TimerService timers, long t) {
        if (t <= evaluateUntil) {
            timers.registerEventTimeTimer(t);
        }
    }

    @Override
    public void open(OpenContext context) {
        indicators = new DischargeIndicators(catalogue);
        episodes = getRuntimeContext().getMapState(new MapStateDescriptor<>("episodes", Types.STRING,
                TypeInformation.of(DischargeFact.class)));
        readmissions = getRuntimeContext().getMapState(new MapStateDescriptor<>("readmissions", Types.STRING, Types.LONG));
        nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("nextTick", Types.LONG));
        provisional = getRuntimeContext().getMapState(new MapStateDescriptor<>("provisional", Types.STRING,
                TypeInformation.of(DischargeFact.class)));
        lastEarlyWrite = getRuntimeContext().getState(new ValueStateDescriptor<>("lastEarlyWrite", Types.LONG));
        earlyWriteDue = getRuntimeContext().getState(new ValueStateDescriptor<>("earlyWriteDue", Types.LONG));
        lateFacts = getRuntimeContext().getMetricGroup().counter("lateFacts");
    }

    @Override
    public void processElement(DischargeFact fact, Context ctx, Collector<IndexOperation> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (fact.provisional) {
            onProvisional(fact, watermark, ctx, out);
            return;
        }
        List<Long> changesAt = new ArrayList<>();
        switch (fact.kind) {
            case EPISODE -> {
                episodes.put(fact.episodeId, fact);
                changesAt.addAll(fact.endedAt == null ? indicators.delayThresholdCrossings(fact.readyAt)
                        : indicators.windowExits(fact.endedAt));
            }
            case EPISODE_MOVED_AWAY -> episodes.remove(fact.episodeId);
            case READMISSION -> {
                readmissions.put(fact.readmissionEventId, fact.readmittedAt);
                changesAt.addAll(indicators.windowExits(fact.readmittedAt));
            }
        }
        for (long t : changesAt) {
            if (t > watermark) {
                schedule(ctx.timerService(), t);
            }
        }
        if (evaluateUntil != Long.MAX_VALUE) {
            schedule(ctx.timerService(), evaluateUntil);
        }
        long evaluateAt = Math.min(roundUp(fact.factTime, granularityMillis), evaluateUntil);
        if (evaluateAt <= watermark) {
            // Late: the hours already written from the fact's time on are written again with it, then the current value.
            lateFacts.inc();
            if (lateFacts.getCount() % 1000 == 1) {
                LOG.info("Late discharge fact for {}: {} behind the watermark ({} so far)", ctx.getCurrentKey(),
                        Duration.ofMillis(watermark - fact.factTime), lateFacts.getCount());
            }
            for (long hour = roundUp(fact.factTime, HOUR); hour <= watermark; hour += HOUR) {
                emitHistory(hour, ctx.getCurrentKey(), out);
            }
            emit(watermark, ctx.getCurrentKey(), false, out);
        } else {
            schedule(ctx.timerService(), evaluateAt);
        }
        // Facts from different upstream subtasks arrive out of event-time order: the hourly chain starts at the
        // earliest fact's hour, even when a later fact arrived first. A tick already registered later still fires
        // and simply continues the chain when it gets there.
        long tick = roundUp(watermark == Long.MIN_VALUE ? fact.factTime : Math.max(fact.factTime, watermark + 1), HOUR);
        Long scheduled = nextTick.value();
        if ((scheduled == null || tick < scheduled) && tick <= evaluateUntil) {
            schedule(ctx.timerService(), tick);
            nextTick.update(tick);
        }
    }

    private void onProvisional(DischargeFact fact, long watermark, Context ctx, Collector<IndexOperation> out) throws Exception {
        if (fact.factTime <= watermark || evaluateUntil != Long.MAX_VALUE) {
            return; // the exact fact has come (or is on its way) by the same route
        }
        provisional.put(fact.identity(), fact);
        // The exact value of that step replaces the early one, even if no exact fact ever comes.
        schedule(ctx.timerService(), roundUp(fact.factTime, granularityMillis));
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

    /** Current values as of the newest provisional fact, from the exact state with the provisional facts laid over it. */
    private void emitEarly(long watermark, String key, long now, Collector<IndexOperation> out) throws Exception {
        List<DischargeFact> early = new ArrayList<>();
        for (DischargeFact f : provisional.values()) {
            if (f.factTime > watermark) {
                early.add(f);
            }
        }
        if (early.isEmpty()) {
            return;
        }
        early.sort(java.util.Comparator.comparingLong((DischargeFact f) -> f.factTime).thenComparing(DischargeFact::identity));
        Map<String, DischargeFact> withEarly = new java.util.HashMap<>();
        episodes.entries().forEach(e -> withEarly.put(e.getKey(), e.getValue()));
        Map<String, Long> readmittedWithEarly = new java.util.HashMap<>();
        readmissions.entries().forEach(e -> readmittedWithEarly.put(e.getKey(), e.getValue()));
        for (DischargeFact f : early) {
            switch (f.kind) {
                case EPISODE -> withEarly.put(f.episodeId, f);
                case EPISODE_MOVED_AWAY -> withEarly.remove(f.episodeId);
                case READMISSION -> readmittedWithEarly.put(f.readmissionEventId, f.readmittedAt);
            }
        }
        long t = early.get(early.size() - 1).factTime;
        String[] dims = key.split("\\|", -1);
        for (Value v : indicators.asOf(t, dims[0], dims[1], dims[2], withEarly.values(), readmittedWithEarly.values())) {
            out.collect(IndicatorDocuments.provisionalCurrent(v));
        }
        lastEarlyWrite.update(now);
    }

    /** The watermark has passed these: their exact facts are in the key's state now. */
    private void dropProvisionalUpTo(long watermark) throws Exception {
        Iterator<Map.Entry<String, DischargeFact>> p = provisional.iterator();
        while (p.hasNext()) {
            if (p.next().getValue().factTime <= watermark) {
                p.remove();
            }
        }
        if (provisional.isEmpty()) {
            provisional.clear();
            lastEarlyWrite.clear();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IndexOperation> out) throws Exception {
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.PROCESSING_TIME) {
            earlyWriteDue.clear();
            emitEarly(ctx.timerService().currentWatermark(), ctx.getCurrentKey(), timestamp, out);
            return;
        }
        dropProvisionalUpTo(timestamp);
        Long tick = nextTick.value();
        boolean hourly = tick != null && tick == timestamp;
        emit(timestamp, ctx.getCurrentKey(), hourly, out);
        if (hourly) {
            dropWhatNoWindowNeeds(timestamp);
            if (episodes.isEmpty() && readmissions.isEmpty()) {
                // An emptied map can still hold an entry for the key: clear so the key leaves no state at all.
                episodes.clear();
                readmissions.clear();
                nextTick.clear();
            } else if (timestamp + HOUR <= evaluateUntil) {
                schedule(ctx.timerService(), timestamp + HOUR);
                nextTick.update(timestamp + HOUR);
            } else {
                nextTick.clear();
            }
        }
    }

    private void emit(long t, String key, boolean withHistory, Collector<IndexOperation> out) throws Exception {
        String[] dims = key.split("\\|", -1);
        boolean current = evaluateUntil == Long.MAX_VALUE || t == evaluateUntil;
        if (!current && !(withHistory && writeHistory)) {
            return;
        }
        for (Value v : indicators.asOf(t, dims[0], dims[1], dims[2], snapshotEpisodes(), snapshotReadmissions())) {
            if (current) {
                out.collect(IndicatorDocuments.current(v));
            }
            if (withHistory && writeHistory) {
                out.collect(IndicatorDocuments.history(v));
            }
        }
    }

    private void emitHistory(long t, String key, Collector<IndexOperation> out) throws Exception {
        if (!writeHistory) {
            return;
        }
        String[] dims = key.split("\\|", -1);
        for (Value v : indicators.asOf(t, dims[0], dims[1], dims[2], snapshotEpisodes(), snapshotReadmissions())) {
            out.collect(IndicatorDocuments.history(v));
        }
    }

    private List<DischargeFact> snapshotEpisodes() throws Exception {
        List<DischargeFact> all = new ArrayList<>();
        episodes.values().forEach(all::add);
        return all;
    }

    private List<Long> snapshotReadmissions() throws Exception {
        List<Long> all = new ArrayList<>();
        readmissions.values().forEach(all::add);
        return all;
    }

    /** Keeps what the longest window needs, for as far back as a late event may still correct. */
    private void dropWhatNoWindowNeeds(long t) throws Exception {
        long horizon = t - indicators.longestWindowMillis() - allowedLatenessMillis;
        Iterator<Map.Entry<String, DischargeFact>> e = episodes.iterator();
        while (e.hasNext()) {
            DischargeFact f = e.next().getValue();
            if (f.endedAt != null && f.endedAt <= horizon) {
                e.remove();
            }
        }
        Iterator<Map.Entry<String, Long>> r = readmissions.iterator();
        while (r.hasNext()) {
            if (r.next().getValue() <= horizon) {
                r.remove();
            }
        }
    }

    static long roundUp(long t, long step) {
        return Math.floorDiv(t + step - 1, step) * step;
    }
}
