package org.safepath.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;
import org.safepath.jobs.brokerage.BrokerageModels;
import org.safepath.jobs.brokerage.RequestFact;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.waiting.WaitFact;
import org.safepath.jobs.waiting.WaitingModel;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * Early values lay provisional facts over a copy of a row's state every second; the models that copy only their map
 * (waits, requests) must leave the exact state as it was, whatever the copy is told.
 */
class EarlyCopyTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final IndicatorCatalogue CATALOGUE = IndicatorCatalogue.defaults();

    private static <S> S copy(IndicatorModel<?, S> model, S state) {
        return model.copyOf(state, model.stateType().createSerializer(new SerializerConfigImpl()));
    }

    private static double value(List<IndicatorValue> values, String indicator) {
        return values.stream().filter(v -> v.getIndicator().equals(indicator)).findFirst().orElseThrow().getValue();
    }

    private static WaitFact wait(String id, long added, Long removed) {
        WaitFact f = new WaitFact();
        f.localAuthority = "E06000054";
        f.waitId = id;
        f.team = "north";
        f.waitingFor = "ASSESSMENT";
        f.addedAt = added;
        f.prioritySince.add(added);
        f.priorities.add("HIGH");
        f.keyPriority = "HIGH";
        f.removedAt = removed;
        f.factTime = removed != null ? removed : added;
        return f;
    }

    @Test
    void aWaitRemovedAndOneAddedInTheCopyLeaveTheRowsExactWaitsAlone() {
        WaitingModel model = new WaitingModel(CATALOGUE);
        DimensionKey row = wait("w1", MONDAY_9AM, null).key();
        WaitingModel.State exact = model.emptyState();
        model.apply(exact, wait("w1", MONDAY_9AM, null));
        model.apply(exact, wait("w2", MONDAY_9AM + HOUR, null));
        long t = MONDAY_9AM + 8 * DAY;

        WaitingModel.State early = copy(model, exact);
        model.apply(early, wait("w1", MONDAY_9AM, MONDAY_9AM + 7 * DAY));
        model.apply(early, wait("w3", MONDAY_9AM + 7 * DAY, null));

        assertThat(value(model.valuesAsOf(t, row, early), "waiting.people_waiting")).as("w2 and w3").isEqualTo(2.0);
        assertThat(value(model.valuesAsOf(t, row, early), "waiting.over_threshold")).as("w2: 8 days less an hour").isEqualTo(1.0);
        assertThat(value(model.valuesAsOf(t, row, exact), "waiting.people_waiting")).as("w1 and w2, as before").isEqualTo(2.0);
        assertThat(value(model.valuesAsOf(t, row, exact), "waiting.over_threshold")).as("w1 and w2 over 7 days").isEqualTo(2.0);
        assertThat(exact.waits).containsOnlyKeys("w1", "w2");
        assertThat(exact.waits.get("w1").removedAt).isNull();
    }

    private static RequestFact request(String id, long requested, Long responded) {
        RequestFact f = new RequestFact();
        f.kind = RequestFact.Kind.RESPONSE;
        f.localAuthority = "E06000054";
        f.requestId = id;
        f.requestedAt = requested;
        f.packageType = "HOME_CARE";
        f.area = "north";
        f.urgencySince.add(requested);
        f.urgencies.add("ROUTINE");
        f.respondedAt = responded;
        f.factTime = responded != null ? responded : requested;
        return f;
    }

    @Test
    void aResponseInTheCopyLeavesTheAuthoritysExactRequestsAlone() {
        BrokerageModels.SameDayResponse model = new BrokerageModels.SameDayResponse(CATALOGUE);
        DimensionKey authority = request("r1", MONDAY_9AM, null).key();
        BrokerageModels.State exact = model.emptyState();
        model.apply(exact, request("r1", MONDAY_9AM, null));
        model.apply(exact, request("r2", MONDAY_9AM, MONDAY_9AM + HOUR));
        long t = MONDAY_9AM + 2 * HOUR;

        BrokerageModels.State early = copy(model, exact);
        model.apply(early, request("r1", MONDAY_9AM, MONDAY_9AM + 90 * 60_000L));

        assertThat(model.valuesAsOf(t, authority, early).get(0).getValue()).as("both responded the same day").isEqualTo(1.0);
        assertThat(model.valuesAsOf(t, authority, exact).get(0).getValue()).as("one of two, as before").isEqualTo(0.5);
        assertThat(exact.requests.get("r1").respondedAt).isNull();
    }
}
