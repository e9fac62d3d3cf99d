package org.safepath.jobs.primitives;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Keeps a live source's event time across a restart. Flink does not checkpoint a source's watermarks: a job
 * restored from a checkpoint taken after its sources had read every event starts with no event time at all, and
 * its partitions, having seen no event since, never follow the clock (see {@link LiveClockWatermarks}). Nothing
 * happens on time again until a new event arrives: a 21-day threshold is not crossed overnight, an hour's history is
 * not written, a provisional value is never made exact.
 *
 * <p>This operator sits right after the source and forwards its records and watermarks unchanged. It checkpoints the
 * watermark it last forwarded and whether the source was caught up (its newest event within {@code caughtUpWithin}
 * of the clock). Restored, it forwards that watermark at once, and if the source was caught up it does what the
 * source's partitions would have done had they remembered: once no record has come for {@code quietAfter}, event
 * time follows the clock, less the out-of-orderness. Records arriving (a backlog from while the job was down) hold
 * it back exactly as they hold back a partition, so a backlog is read in event time. A job that was reading history
 * when it stopped is restored as it was, and waits for its events.
 *
 * <p>The state is a union list: after a change of parallelism every subtask takes the lowest watermark, and follows
 * the clock only if every subtask was caught up.
 */
public final class EventTimeKeeper<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;
    private static final long DEFAULT_INTERVAL = 200L;
    private static final ListStateDescriptor<Tuple2<Long, Boolean>> KEPT =
            new ListStateDescriptor<>("event-time", Types.TUPLE(Types.LONG, Types.BOOLEAN));

    private final long outOfOrderness;
    private final long quietAfter;
    private final long caughtUpWithin;

    private transient ListState<Tuple2<Long, Boolean>> kept;
    private transient long restored;
    private transient long forwarded;
    private transient boolean caughtUp;
    private transient boolean sawRecord;
    private transient long lastRecordAt;
    private transient boolean announcedIdle;
    private transient long interval;

    public EventTimeKeeper(Duration outOfOrderness, Duration quietAfter, Duration caughtUpWithin) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.quietAfter = quietAfter.toMillis();
        this.caughtUpWithin = caughtUpWithin.toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        kept = context.getOperatorStateStore().getUnionListState(KEPT);
        forwarded = Long.MIN_VALUE;
        restored = Long.MIN_VALUE;
        long lowest = Long.MAX_VALUE;
        boolean everyCaughtUp = true;
        for (Tuple2<Long, Boolean> subtask : kept.get()) {
            // A subtask that had no event time (its partitions empty, or no partition at all) held nothing back.
            if (subtask.f0 != Long.MIN_VALUE) {
                lowest = Math.min(lowest, subtask.f0);
                everyCaughtUp &= subtask.f1;
            }
        }
        if (lowest != Long.MAX_VALUE) {
            restored = lowest;
            caughtUp = everyCaughtUp;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        long configured = getExecutionConfig().getAutoWatermarkInterval();
        interval = configured > 0 ? configured : DEFAULT_INTERVAL;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        lastRecordAt = now;
        getProcessingTimeService().registerTimer(now, this);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        sawRecord = true;
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        // The source's watermark is its newest event less the out-of-orderness (and a millisecond).
        if (mark.getTimestamp() != Long.MAX_VALUE && now - (mark.getTimestamp() + outOfOrderness + 1) <= caughtUpWithin) {
            caughtUp = true;
        }
        forward(mark.getTimestamp());
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        if (status.isIdle() && caughtUp) {
            // Every partition is quiet: a caught-up stream follows the clock in their place, so it stays active.
            return;
        }
        announce(status.isIdle());
    }

    @Override
    public void onProcessingTime(long timestamp) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (sawRecord) {
            lastRecordAt = now;
            sawRecord = false;
        }
        if (restored != Long.MIN_VALUE) {
            forward(restored);
            restored = Long.MIN_VALUE;
        }
        if (caughtUp && now - lastRecordAt >= quietAfter) {
            forward(now - outOfOrderness - 1);
        }
        getProcessingTimeService().registerTimer(now + interval, this);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Restored and not yet forwarded (a checkpoint within the first tick), the restored time is still the time.
        kept.update(List.of(Tuple2.of(Math.max(forwarded, restored), caughtUp)));
    }

    private void forward(long watermark) {
        if (watermark <= forwarded) {
            return;
        }
        forwarded = watermark;
        announce(false);
        output.emitWatermark(new Watermark(watermark));
    }

    private void announce(boolean idle) {
        if (idle != announcedIdle) {
            announcedIdle = idle;
            output.emitWatermarkStatus(idle ? WatermarkStatus.IDLE : WatermarkStatus.ACTIVE);
        }
    }
}
