package org.safepath.jobs.discharge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.jobs.pipeline.SafePathPipeline;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.schemas.IndicatorCatalogue;

import org.safepath.events.DischargeEventType;

/** Named instants and event builders so operator tests read like a ward's timeline. */
abstract class DischargeTimeline {
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    /** Monday 2 March 2026, 09:00 UTC (GMT: no summer time in play). */
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final String LA = "E06000054";

    static int nextId;

    /** The discharge model in the live aggregator, as the job runs it (1-minute steps, 7 days' lateness). */
    static KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> aggregatorHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(new DischargeModel(IndicatorCatalogue.defaults()), TypeInformation.of(DischargeFact.class),
                        Duration.ofMinutes(1), Duration.ofDays(7))),
                DischargeFact::key, TypeInformation.of(DimensionKey.class));
    }

    /** The documents the sink edge makes of everything the aggregator wrote so far, in order. */
    static List<IndexOperation> documents(KeyedOneInputStreamOperatorTestHarness<DimensionKey, DischargeFact, IndicatorUpdate> h) {
        SafePathPipeline.ToDocuments edge = new SafePathPipeline.ToDocuments(IndicatorCatalogue.defaults());
        return h.extractOutputValues().stream().map(edge::map).toList();
    }

    static DischargeEvent event(String person, DischargeEventType type, long at, String site, String pathway, String reason) {
        DischargeEvent e = new DischargeEvent();
        e.eventId = "e" + (++nextId);
        e.occurredAt = at;
        e.localAuthority = LA;
        e.personRef = person;
        e.type = type;
        e.hospitalSite = site;
        e.pathway = pathway;
        e.delayReasonFamily = reason;
        e.sourceTopic = "safepath.hospital-discharge";
        e.sourcePartition = 0;
        e.sourceOffset = nextId;
        return e;
    }

    static DischargeEvent admitted(String person, long at, String site) {
        return event(person, DischargeEventType.ADMITTED, at, site, null, null);
    }

    static DischargeEvent ready(String person, long at, String site, String pathway) {
        return event(person, DischargeEventType.DISCHARGE_READY, at, site, pathway, "CAPACITY");
    }

    static DischargeEvent discharged(String person, long at, String site) {
        return event(person, DischargeEventType.DISCHARGED, at, site, null, null);
    }
}
