package io.syncline.connector.spi;

import io.syncline.connector.SystemTypes;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemTypeRules;
import io.syncline.webhook.SystemWebhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of system Syncline reads and writes: the connector contract (docs/reference/system-types.md).
 * One CDI bean per type, named as the model's {@code type:} says ({@code @Named("jdbc")}) and
 * chosen by that name ({@link SystemTypes}). A type declares its {@link #abilities()}; the model
 * validator refuses a model that needs one it lacks, and a call to an ability it lacks throws
 * {@link MissingAbilityException}. Nothing in the engine names a type.
 *
 * <p>Records cross this interface in the system's own shape (a row's columns, a JSON resource's
 * members), mapped to and from the canonical record by the entity's field contract. The
 * engine's guarantees (idempotency claim, privacy guard, stale and echo suppression, the commit
 * of record state and audit) run around the apply stages, whatever the type.
 */
public interface SystemType {

    /** The model's {@code type:} of the systems this connector serves. */
    String name();

    /** What the type can do. */
    Set<Ability> abilities();

    /**
     * What the type checks of its systems' settings and of the mappings, polls, pulls and captures
     * of them, each gap reported with its file, line and fix when the model is validated; nothing
     * by default.
     */
    default SystemTypeRules rules() {
        return SystemTypeRules.NONE;
    }

    /**
     * Whether this type serves the systems of a preset's type that has no connector of its own
     * ({@link io.syncline.model.SystemPresets}: its provider says everything as data); no by default.
     */
    default boolean servesPresets() {
        return false;
    }

    /** The type's part of readiness, a check of its own name; none by default. */
    default Optional<SystemHealth> health() {
        return Optional.empty();
    }

    /**
     * Checks the model's system {@code system} before its first event ({@code bin/syncline check},
     * docs/reference/check.md): its credentials and that it answers, by a real call; that the objects
     * and fields its mappings in {@code model} name exist; its webhook registration where the type
     * can tell. Each remote call is bounded by {@code timeout}; nothing is written. A failed step
     * names its fix. By default one step that says the type checks nothing.
     */
    default List<SystemCheck> check(String system, SyncModel model, Duration timeout) {
        return List.of(SystemCheck.notChecked("checks", "systems of type " + name() + " have no check before the first event"));
    }

    /**
     * {@link Ability#READ_PAGES}: reads every record of an entity, page by page; with
     * {@link Ability#READ_CHANGES} also the records changed after a watermark
     * ({@link io.syncline.connector.spi.PullRequest#changes()}).
     */
    default RecordPuller puller() {
        throw new MissingAbilityException(name(), Ability.READ_PAGES);
    }

    /**
     * {@link Ability#CAPTURE_CHANGES} of a system that publishes its changes as a stream of
     * messages (a Salesforce org's Change Data Capture); empty for a type whose captures read a
     * database's log (Debezium), or that captures nothing.
     */
    default Optional<ChangeStream> changeStream() {
        return Optional.empty();
    }

    /**
     * {@link Ability#CAPTURE_CHANGES} of a system whose changes arrive as messages a Camel consumer
     * reads whole (a queue's messages, a folder's files): the endpoint URI of {@code entity}'s
     * messages from {@code system}. The engine's route from it ({@code message-intake}) stores each
     * message in the inbox as it stores a webhook's event, before the consumer acknowledges it; the
     * type's {@link #webhook} says where a message's events are. Empty for a type whose captures
     * are none of these.
     */
    default Optional<String> messageIntake(String entity, String system) {
        return Optional.empty();
    }

    /**
     * The work {@code system} ({@code definition}) runs on schedules of its own, such as a file
     * export's runs, each run by {@link #runScheduled}; none by default.
     */
    default List<ScheduledTask> scheduled(String system, SystemDefinition definition) {
        return List.of();
    }

    /** Runs {@code system}'s scheduled task {@code task}, one of those {@link #scheduled} named. */
    default void runScheduled(String system, String task) throws Exception {
        throw new IllegalArgumentException("System '" + system + "' (type " + name() + ") runs no scheduled task " + task);
    }

    /**
     * What the model's system {@code system} ({@code definition}) says of its webhook requests: their
     * signature, where their events are, their answer; empty for a system that declares none.
     */
    default Optional<SystemWebhook> webhook(String system, SystemDefinition definition) {
        return Optional.empty();
    }

    /**
     * The SQL database the model's system {@code system} is, for the features that work inside it
     * (a reconciliation's checksums, a capture of the database's log); empty for a system that is none.
     */
    default Optional<SqlDatabase> database(String system) {
        return Optional.empty();
    }

    /** {@link Ability#FETCH}: the record {@code id} of {@code entity} in {@code system}; empty when it has none. */
    default Optional<Map<String, Object>> fetch(String entity, String system, String id) throws Exception {
        throw new MissingAbilityException(name(), Ability.FETCH);
    }

    /**
     * A record {@code system} sent whole in a webhook event, made complete where the system pages
     * inside a record and an event carries the first page only (a Stripe invoice's lines beyond the
     * first ten); the record itself by default. Called before the record is mapped; a call it makes
     * fails as a fetch does.
     */
    default Map<String, Object> completed(String entity, String system, Map<String, Object> record) throws Exception {
        return record;
    }

    /**
     * {@link Ability#SEARCH}: the records of {@code system} that may be {@code record}, by the
     * entity's match rules, with their fields in canonical form; the engine's matcher decides
     * among them. A search may return more than match, never fewer.
     */
    default List<MatchCandidate> search(String system, CanonicalRecord record) throws Exception {
        throw new MissingAbilityException(name(), Ability.SEARCH);
    }

    /**
     * Most records {@link #searchAll} looks up in one call of the provider's (a batch read by a
     * unique property, an OR of terms); 0, the default, where it has none: the match stage then
     * searches each record as it comes to it.
     */
    default int searchBatchLimit() {
        return 0;
    }

    /**
     * {@link Ability#SEARCH} for several records of one entity at once, at most
     * {@link #searchBatchLimit} of them: each record's candidates, in order, as {@link #search}
     * finds them (more than match, never fewer). By default each record is searched on its own.
     */
    default List<List<MatchCandidate>> searchAll(String system, List<CanonicalRecord> records) throws Exception {
        List<List<MatchCandidate>> found = new java.util.ArrayList<>(records.size());
        for (CanonicalRecord record : records) {
            found.add(search(system, record));
        }
        return found;
    }

    /** {@link Ability#WRITE}: creates the record, in the system's shape; returns its new id. */
    default String create(String entity, String system, Map<String, Object> row) throws Exception {
        throw new MissingAbilityException(name(), Ability.WRITE);
    }

    /** {@link Ability#WRITE}: updates the record {@code id} with the fields of {@code row}. */
    default void update(String entity, String system, String id, Map<String, Object> row) throws Exception {
        throw new MissingAbilityException(name(), Ability.WRITE);
    }

    /** {@link Ability#WRITE}: deletes the record {@code id}; false when it was gone already. */
    default boolean delete(String entity, String system, String id) throws Exception {
        throw new MissingAbilityException(name(), Ability.WRITE);
    }

    /**
     * {@link Ability#ERASE}: erases a person's record, hard (removed) or by anonymising (the
     * {@code emptied} fields, canonical field to system path, set empty); returns what was done,
     * for the request's proof ("hard delete", "anonymised: 7 fields", "already gone").
     */
    default String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        throw new MissingAbilityException(name(), Ability.ERASE);
    }

    /**
     * {@link Ability#WRITE}: the apply route's target stages. By default they are made of the
     * record calls above, each write committed by the system on its own ({@link RecordTargetStages});
     * a type whose writes can join the state store's transaction, or go set-based, has its own.
     */
    default TargetStages stages(TargetStages.Context context) {
        return new RecordTargetStages(this, context);
    }
}
