package io.syncline.connector.endpoint;

import io.syncline.connector.spi.RecordTargetStages;
import io.syncline.connector.spi.WriteKeys;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * The record stages of a Camel-endpoint system: each write is one message whose id
 * ({@link io.syncline.exchange.ExchangeContract#MESSAGE_ID_HEADER}, and the component's own
 * message id where it has one) is the write's key ({@link WriteKeys}), the same for each attempt at
 * one event's write, so that a receiver that drops a message id it has seen applies a redelivered
 * write once. To a system that exports, a write is kept in the unit's transaction for the export's
 * next run ({@link EndpointExports}).
 */
class EndpointTargetStages extends RecordTargetStages {

    static final String CREATE = "create";
    static final String UPDATE = "update";
    static final String DELETE = "delete";

    private final EndpointSystemType type;

    EndpointTargetStages(EndpointSystemType type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) throws Exception {
        String key = WriteKeys.of(unit, CREATE, null, row);
        String id = type.ownId(unit.entity(), unit.target(), row);
        if (id == null) {
            // a record the target names by nothing of its own: the message's id names it
            id = key != null ? key : java.util.UUID.randomUUID().toString();
        }
        type.write(unit.connection(), unit.entity(), unit.target(), CREATE, id, row, key);
        return id;
    }

    @Override
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) throws Exception {
        type.write(unit.connection(), unit.entity(), unit.target(), UPDATE, id, row, WriteKeys.of(unit, UPDATE, id, row));
    }

    @Override
    protected boolean delete(Exchange exchange, SyncUnit unit) throws Exception {
        type.write(unit.connection(), unit.entity(), unit.target(), DELETE, unit.targetId(), Map.of(), WriteKeys.of(unit,
                DELETE, unit.targetId(), Map.of()));
        return true;
    }
}
