package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code SyncGuard.admit} over a batch's events: two of one canonical record (two source systems'
 * records of one contact, say) are refused before either is admitted, since the later one must
 * see the record state the earlier one saves, and a batch admits all before it saves any.
 */
class SyncGuardBatchTest {

    private final CamelContext camel = new DefaultCamelContext();

    private Exchange event(String sourceSystem, String sourceId, String canonicalId) {
        Exchange event = new DefaultExchange(camel);
        event.getMessage().setBody(new CanonicalRecord("contact", sourceSystem, sourceId, Map.of(), "hash", canonicalId));
        return event;
    }

    @Test
    void twoEventsOfOneCanonicalRecordInABatchAreRefusedBeforeEitherIsAdmitted() {
        Exchange batch = new DefaultExchange(camel);
        batch.setProperty(ExchangeContract.APPLY_EVENTS, List.of(event("crm", "c-1", "canon-1"), event("crm", "c-2", "canon-2"),
                event("shop", "s-9", "canon-1")));
        // no state store at all: the refusal comes before any of it is used
        SyncGuard guard = new SyncGuard(null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> guard.admit("billing", batch))
                .isInstanceOf(ApplyBatchDependentException.class)
                .hasMessageContaining("contact canon-1 twice");
    }
}
