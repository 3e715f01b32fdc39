package io.syncline.connector.salesforce;

import io.syncline.connector.spi.ChangeStream;
import io.syncline.model.CaptureSpec;
import io.syncline.model.SystemDefinition;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.camel.component.salesforce.internal.streaming.ReplayExtension;
import org.apache.camel.component.salesforce.internal.streaming.SubscriptionHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.cometd.client.BayeuxClient;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;

/**
 * A Salesforce org's Change Data Capture channel ({@code /data/ContactChangeEvent}), read by
 * Camel's Streaming API consumer ({@code subscribe:<channel>}, CometD long polling) on the org's
 * component, each event's position its replay id. An event names its records
 * ({@code ChangeEventHeader.recordIds}) and what happened to them ({@code changeType}):
 * {@code CREATE}, {@code UPDATE}, {@code UNDELETE} and their gap events ({@code GAP_…}: Salesforce
 * could not give the fields) are fetched; {@code DELETE} and {@code GAP_DELETE} are deletions;
 * {@code GAP_OVERFLOW} (too many changes in one transaction to report) asks for a reconciliation.
 */
final class SalesforceChangeStream implements ChangeStream {

    /** A subscription's replay id for only the events published after it. */
    static final long NEW_EVENTS = -1;
    /** A subscription's replay id for every event the org still retains. */
    static final long ALL_RETAINED = -2;

    private final SalesforceSystemType type;

    SalesforceChangeStream(SalesforceSystemType type) {
        this.type = type;
    }

    @Override
    public String stream(String entity, String system) {
        SalesforceClient.Target target = type.target(entity, system);
        CaptureSpec capture = type.capture(entity, system);
        return capture.channelOrDefault(target.sobject());
    }

    /**
     * The consumer's endpoint, {@code salesforce-<org>:subscribe:<channel>?rawPayload=true&replayId=<n>&fallBackReplayId=-2}.
     * The component keeps the replay id it subscribes with per channel, in memory, from the events
     * it received, and takes an endpoint's {@code replayId} only for a channel it has none for: the
     * stored position is set there too, so that a consumer started again after a failure to store
     * an event subscribes after the last stored one, not after the last received one.
     */
    @Override
    public String endpoint(String entity, String system, String position) throws Exception {
        SalesforceClient.Target target = type.target(entity, system);
        String channel = stream(entity, system);
        long replayId = position == null ? NEW_EVENTS : Long.parseLong(position);
        resumeAfter(channel, replayId);
        String scheme = type.client().components().streamingScheme(system, target.settings());
        // a replay id Salesforce no longer retains (an outage past 72 h): every retained event rather than new ones only
        return scheme + ":subscribe:" + channel + "?rawPayload=true&replayId=" + replayId + "&fallBackReplayId=" + ALL_RETAINED
                + "&apiVersion=" + target.settings().apiVersionOrDefault();
    }

    /**
     * False once the org's CometD client is gone or disconnected for good: Camel's subscription helper
     * gives up when its new handshake, after a session Salesforce ended ({@code 401::Authentication
     * invalid}, {@code reconnect: none}), races the client's own state.
     */
    @Override
    public boolean reading(String system) {
        SalesforceComponent component = component(system);
        if (component == null) {
            return true;
        }
        try {
            // no client: another capture of the org reset the helper, and no consumer has started it since
            BayeuxClient client = (BayeuxClient) field("client").get(component.getSubscriptionHelper());
            return client != null && !client.isDisconnected();
        } catch (Exception e) {
            throw new IllegalStateException("camel-salesforce keeps no CometD client Syncline can see (SubscriptionHelper.client): " + e, e);
        }
    }

    /** Stops the org's subscription helper (its CometD client and session): the next consumer starts both again. */
    @Override
    public void reset(String system) {
        SalesforceComponent component = component(system);
        if (component != null) {
            try {
                ServiceHelper.stopService(component.getSubscriptionHelper());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot stop the streaming client of " + system + ": " + e.getMessage(), e);
            }
        }
    }

    private SalesforceComponent component(String system) {
        SystemDefinition definition = type.registryModel().systems().get(system);
        if (!SalesforceSettings.isOf(definition)) {
            return null;
        }
        SalesforceSettings settings = SalesforceSettings.of(definition);
        return (SalesforceComponent) type.camel().getComponent(type.client().components().scheme(system, settings), false);
    }

    @Override
    public Message read(String entity, String system, Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        Object replayId = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID);
        if (replayId == null) {
            throw new IllegalArgumentException("a change event of " + system + " without a replay id");
        }
        Long committed = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_COMMIT_TIMESTAMP, Long.class);
        Instant committedAt = committed == null ? null : Instant.ofEpochMilli(committed);
        String entityName = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_ENTITY_NAME, String.class);
        String changeType = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_CHANGE_TYPE, String.class);
        String position = String.valueOf(replayId);
        if (entityName == null || !entityName.equalsIgnoreCase(type.target(entity, system).sobject()) || changeType == null) {
            return new Message(position, committedAt, List.of(), false);
        }
        if (changeType.equals("GAP_OVERFLOW")) {
            return new Message(position, committedAt, List.of(), true);
        }
        Kind kind = changeType.equals("DELETE") || changeType.equals("GAP_DELETE") ? Kind.DELETED : Kind.CHANGED;
        List<?> ids = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_RECORD_IDS, List.class);
        List<Notice> notices = ids == null ? List.of() : ids.stream().map(id -> new Notice(String.valueOf(id), kind)).toList();
        return new Message(position, committedAt, notices, false);
    }

    /**
     * Sets the replay id the component subscribes to {@code channel} with. Camel keeps it in a
     * field of its subscription helper that it offers no setter for; a camel-salesforce without
     * that field fails the capture's start, saying so, rather than resume from the wrong place.
     */
    static void resumeAfter(String channel, long replayId) {
        try {
            ((ReplayExtension) field("REPLAY_EXTENSION").get(null)).setReplayId(channel, replayId);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("camel-salesforce keeps no replay id Syncline can set (SubscriptionHelper.REPLAY_EXTENSION): "
                    + e, e);
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = SubscriptionHelper.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
