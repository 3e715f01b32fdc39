package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/**
 * How an entity's changes are captured from a system's own change stream
 * ({@code entities.<entity>.captures.<system>}): a database's (PostgreSQL's logical decoding or the
 * MariaDB/MySQL binary log, read by Debezium), or a Salesforce org's Change Data Capture channel.
 * Every insert, update and delete becomes an inbox event, with no timestamp column needed; a
 * delete is read as the mapping's deletion. {@code table} to {@code snapshot} are a database's,
 * {@code channel} an org's.
 *
 * @param table       the captured table, {@code schema.table} on PostgreSQL ({@code public} when
 *                    left out); default the mapping's {@code table}
 * @param slot        PostgreSQL: the replication slot the capture reads (and keeps); default
 *                    {@code syncline_<entity>_<system>}
 * @param publication PostgreSQL: the publication of the table (created if missing); default as the slot
 * @param serverId    MariaDB/MySQL: the replica id the capture reads the binary log as, unique among
 *                    the server's replicas; default derived from the entity and system
 * @param snapshot    {@code none} (default): changes from the capture's first start on, the rows already
 *                    there are backfill's; {@code initial}: every row already there first
 * @param channel     Salesforce: the Change Data Capture channel; default the object's standard
 *                    channel, {@code /data/ContactChangeEvent}, {@code /data/Foo__ChangeEvent} for {@code Foo__c}
 */
@RegisterForReflection
public record CaptureSpec(String table, String slot, String publication, Long serverId, String snapshot, String channel) {

    /** A capture with every setting left to its default. */
    public static final CaptureSpec DEFAULTS = new CaptureSpec(null, null, null, null, null, null);

    /** The path a captured deletion carries as true, where the mapping names no {@code delete.flag} of its own. */
    public static final String DELETED_FLAG = "__deleted";
    public static final String SNAPSHOT_NONE = "none";
    public static final String SNAPSHOT_INITIAL = "initial";

    /** The capture's name: its offsets and schema history are kept by it, its inbox route is named by it. */
    public static String name(String entity, String system) {
        return (entity + "_" + system).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    public String slotOrDefault(String entity, String system) {
        return slot != null ? slot : "syncline_" + name(entity, system);
    }

    public String publicationOrDefault(String entity, String system) {
        return publication != null ? publication : slotOrDefault(entity, system);
    }

    /** A replica id in 1,000,000..1,999,999, far from the small numbers servers are given by hand. */
    public long serverIdOrDefault(String entity, String system) {
        return serverId != null ? serverId : 1_000_000L + Math.floorMod(name(entity, system).hashCode(), 1_000_000);
    }

    /** The channel of {@code sobject}'s change events: {@code Contact} -> {@code /data/ContactChangeEvent}, {@code Foo__c} -> {@code /data/Foo__ChangeEvent}. */
    public String channelOrDefault(String sobject) {
        if (channel != null) {
            return channel;
        }
        return "/data/" + (sobject.endsWith("__c") ? sobject.substring(0, sobject.length() - 1) : sobject) + "ChangeEvent";
    }

    public boolean initialSnapshot() {
        return SNAPSHOT_INITIAL.equals(snapshot);
    }
}
