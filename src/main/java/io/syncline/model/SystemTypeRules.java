package io.syncline.model;

import java.util.Map;
import java.util.Set;

/**
 * What a system type checks of its own settings and of the mappings, polls, pulls and captures of
 * its systems, each gap one problem with its file, line and fix (as Kafka Connect's
 * {@code Connector.validate()}). The model validator asks the type of each system through the
 * {@link SystemTypeCatalog}, so the model knows no type's keys. Every check does nothing by default.
 */
public interface SystemTypeRules {

    /** The rules of a type that checks nothing of its own. */
    SystemTypeRules NONE = new SystemTypeRules() {
    };

    /**
     * The system's own settings ({@code systems.<name>}): what is wrong binding them to the type's
     * settings class ({@link SystemDefinition#settings(Class, String, ProblemReporter)}), then what they lack; its
     * {@link #secrets secrets} are the validator's.
     */
    default void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
    }

    /**
     * Every secret the system's settings name, by its path under the system ({@code auth.token}),
     * which the validator checks is taken from the environment; none by default.
     */
    default Map<String, SecretRef> secrets(SystemDefinition system) {
        return Map.of();
    }

    /**
     * Whether a system of this type may read a record back before writing it, where the type can
     * ({@link Ability#READ_BACK}): a system whose every read is a paid call says so in its settings.
     * Yes by default.
     */
    default boolean readsBack(SystemDefinition system) {
        return true;
    }

    /**
     * A mapping of {@code entity} to a system of this type ({@code entities.<entity>.mappings.<system>}):
     * what is wrong binding its keys of the type's own to the type's mapping settings class
     * ({@link SystemMapping#settings(Class, String, ProblemReporter)}), then what they lack. The one
     * place a type checks its mappings.
     */
    default void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
    }

    /**
     * Whether the type writes a reference by its parent's external id ({@code externalId} on a
     * field of its mapping: a Salesforce relationship, {@code "Account": {"Ext_Id__c": …}}); no by
     * default, and the validator refuses {@code externalId} on its mappings.
     */
    default boolean namesParentsByExternalId() {
        return false;
    }

    /**
     * The mapping keys a system of this type takes beside those every mapping has
     * ({@link SystemMapping#SHARED_KEYS}): its mapping settings class's; null (the default) takes
     * any. A key no type takes is unknown; a key another type {@link #ownMappingKeys owns} that
     * this type does not take is reported with the owner's words.
     */
    default Set<String> mappingKeys() {
        return null;
    }

    /** The mapping keys this type owns, each with the problem and fix of a mapping of a type that does not take it. */
    default Map<String, KeyMisuse> ownMappingKeys() {
        return Map.of();
    }

    /**
     * A poll of the system ({@code entities.<entity>.polls.<system>}) and how it asks for changes
     * ({@code changes}, null where the poll says none).
     */
    default void validatePoll(String path, String system, ChangeFilter changes, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
    }

    /**
     * What the system needs to be a webhook source of an entity ({@code webhooks: {system: path}}),
     * reported at that line: a signed webhook's secret, say. A system no entity takes webhooks from
     * needs none of it.
     */
    default void validateWebhookSource(String path, String system, SystemDefinition definition, ProblemReporter problems) {
    }

    /** Whether a reconciliation can pull the mapping's records from the system; reports why not. */
    default boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        return true;
    }

    /**
     * The table that holds a mapping's records, for a type whose systems are SQL databases: what a
     * capture of the database's log reads unless it names its own; null (the default) for a type
     * whose mappings name none.
     */
    default String table(SystemMapping mapping) {
        return null;
    }

    /** Whether a reconciliation may bisect the system by checksums computed inside it. */
    default boolean checksums() {
        return false;
    }

    /**
     * A capture of the system ({@code entities.<entity>.captures.<system>}); false (the default)
     * where the type has no captures of its own, and the capture is checked as a database's.
     */
    default boolean validateCapture(String path, CaptureSpec capture, SystemMapping mapping, ProblemReporter problems) {
        return false;
    }

    /**
     * Whether one entity at most may capture the system: true for a type whose capture consumes one
     * stream (a queue, a topic, a folder), which the routes of two entities would compete for, each
     * taking messages the other's entity owns; false (the default) where each capture reads its own.
     */
    default boolean capturedOnce() {
        return false;
    }

    /** The channel a capture of the system reads, of which the model may capture each once; null where it has none. */
    default String captureChannel(CaptureSpec capture, SystemMapping mapping) {
        return null;
    }

    /** What is wrong with a mapping that names a key its type does not take, and its fix. */
    record KeyMisuse(String problem, String fix) {
    }

    /**
     * A poll's {@code changes} on a type whose polls read the column of the entity's modifiedAt,
     * which takes none.
     */
    static void refuseChanges(String path, String system, ChangeFilter changes, SystemDefinition definition,
            ProblemReporter problems) {
        if (changes != null) {
            problems.report(path + ".changes", "changes describes a REST API's filter; " + system + " is of type "
                    + definition.type() + ", read by the column of the entity's modifiedAt", "remove changes");
        }
    }
}
