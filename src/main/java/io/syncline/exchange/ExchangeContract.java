package io.syncline.exchange;

/**
 * The names of the exchange properties (and the one header) that Syncline's stages and the
 * mappings' hooks share: the real-time data's contract. Every stage reads and writes them through
 * these constants; route templates and route files, which cannot, spell the same names.
 *
 * <p>This class sits at the bottom of the layering (docs/architecture.md) and imports nothing of
 * Syncline, so that any stage, a hook's bean, or a test may use it. Each name says what it holds,
 * which stage sets it, and whether a hook may change it. "Read only" means a hook may read the
 * value but must not set or remove it: the stages after the hook rely on it as the stage that
 * set it left it. A hook that needs to carry its own data sets a property of its own name (without
 * the {@code Syncline} prefix, which is reserved for these).
 *
 * <p>Properties set per event: in an inbox batch ({@link #APPLY_EVENTS}) each event's own
 * exchange carries them, and the batch's exchange carries the batch's.
 */
public final class ExchangeContract {

    private ExchangeContract() {
    }

    // --- What the route applies: set by the route itself ---

    /**
     * The model's entity the route carries, e.g. {@code contact} ({@code String}). Set by the
     * apply and webhook-intake templates' first step ({@code setProperty}) and by the inbox
     * dispatcher from the stored event; read only.
     */
    public static final String ENTITY = "SynclineEntity";

    /**
     * The system the event came from, e.g. {@code crm} ({@code String}). Set with {@link #ENTITY};
     * read only.
     */
    public static final String SOURCE_SYSTEM = "SynclineSourceSystem";

    /**
     * The URL path of the webhook the request came to, e.g. {@code /webhooks/asana/tasks}
     * ({@code String}). Set by the webhook-intake template's first steps; read only.
     */
    public static final String WEBHOOK_PATH = "SynclineWebhookPath";

    /**
     * The system the apply route writes to, e.g. {@code billing} ({@code String}). Set by the
     * apply template's first steps (a replaced template must set it too); the idempotent consumer,
     * matcher and writer refuse an exchange without it. Read only.
     */
    public static final String TARGET = "SynclineTarget";

    /**
     * {@code true} on an event the fan-out template hands to each of its targets' apply routes in
     * turn ({@code Boolean}): each target's unit commits on its own. Set by the fan-out template;
     * read only.
     */
    public static final String FAN_OUT = "SynclineFanOut";

    // --- The record's ids ---

    /**
     * The record's id in the source system ({@code String}): the canonical record's
     * {@code sourceId}. Set by the transformer stage ({@code CanonicalTransformer}) once it made
     * the canonical record; absent in a {@code beforeTransform} hook. Read only.
     */
    public static final String SOURCE_ID = "SynclineSourceId";

    /**
     * The record's canonical id, the one the cross-system ID map links every system's id to
     * ({@code String}). Set by the ID map stage ({@code RecordIdentifier}); read only.
     */
    public static final String CANONICAL_ID = "SynclineCanonicalId";

    /**
     * The record's id in the target system ({@code String}). Set when the target match stage
     * found the record (absent when the target has none yet: it is to be created), and again once
     * the writer wrote it (a created record's new id). So a {@code beforeWrite} hook sees the
     * matched id or none, an {@code afterWrite} hook the written id. Read only.
     */
    public static final String TARGET_ID = "SynclineTargetId";

    /**
     * The target's ids of the records the record's references name ({@code ParentLinks}), by
     * field and canonical id. Set by the reference stage ({@code ReferenceResolver}) for an entity
     * with references; the writers write these ids, and read-back values are translated back
     * through them. Read only.
     */
    public static final String PARENT_LINKS = "SynclineParentLinks";

    // --- The inbox event being applied ---

    /**
     * The inbox event's id ({@code Long}). Set by the inbox dispatcher ({@code InboxEventProcessor})
     * and by a review's resolution (the held event's); read only.
     */
    public static final String INBOX_ID = "SynclineInboxId";

    /**
     * The attempt this is of the inbox event, from 1 ({@code Integer}). Set by the inbox
     * dispatcher; read only.
     */
    public static final String INBOX_ATTEMPTS = "SynclineInboxAttempts";

    /**
     * The id of the webhook route that took the event in ({@code String}), named in its audit
     * entries and metrics. Set by the inbox dispatcher; read only.
     */
    public static final String SOURCE_ROUTE = "SynclineSourceRoute";

    /**
     * The event id the sender gave ({@code String}: the {@link #EVENT_ID_HEADER} header or the
     * signature scheme's delivery id), the idempotency key when present. Set by the webhook's
     * signature check and by the inbox dispatcher; read only.
     */
    public static final String EVENT_ID = "SynclineEventId";

    /**
     * Where the event came from ({@code String}): one of the {@code ORIGIN_*} values below, stored
     * with the inbox event (its {@code origin} column). Set by the inbox dispatcher; read only.
     */
    public static final String ORIGIN = "SynclineOrigin";

    /** {@link #ORIGIN}: a change a webhook reported (or a poll or capture found, as if one had). */
    public static final String ORIGIN_WEBHOOK = "webhook";

    /**
     * {@link #ORIGIN}: a deliberate push of the master's last known values (the sync-before-ship
     * gate), applied even when not newer; not a change.
     */
    public static final String ORIGIN_RESYNC = "resync";

    /** {@link #ORIGIN}: an event a backfill's run put in, under route id {@code backfill:<job id>}. */
    public static final String ORIGIN_BACKFILL = "backfill";

    /**
     * {@link #ORIGIN}: a captured change stream's notice that a record changed: its payload names
     * the record (its key), and the record is fetched from the source before it is mapped.
     */
    public static final String ORIGIN_NOTICE = "notice";

    /**
     * The request body as received ({@code String}), kept for the dead-letter table and a held
     * record's review item. Set by the webhook's JSON parser and by the inbox dispatcher; read
     * only.
     */
    public static final String ORIGINAL_PAYLOAD = "SynclineOriginalPayload";

    /**
     * The source record's id as the inbox stored it with the event ({@code String}; null where the
     * payload had none). Set by the inbox dispatcher; read by the fetch of a thin event.
     */
    public static final String RECORD_KEY = "SynclineRecordKey";

    /**
     * Whether the body is the source record fetched for a thin event, or completed where its system
     * pages inside a record ({@code Boolean}), so that a fan-out's targets do not fetch it again.
     * Set and read by {@code SourceRecordFetcher}.
     */
    public static final String FETCHED = "SynclineFetched";

    /**
     * The HTTP status a stored webhook request is answered with ({@code Integer}: 202, or the
     * source system's {@code webhook.answer.status}). Set by the inbox's intake step; read by the
     * webhook template.
     */
    public static final String ANSWER_STATUS = "SynclineAnswerStatus";

    /**
     * Whether that answer has no body ({@code Boolean}: the source system's
     * {@code webhook.answer.body: empty}). Set by the inbox's intake step; read by the webhook template.
     */
    public static final String ANSWER_EMPTY = "SynclineAnswerEmpty";

    /**
     * The route that applies the event, {@code direct:…} ({@code String}). Set by the inbox
     * dispatcher; internal to the inbox, read only.
     */
    public static final String APPLY_ENDPOINT = "SynclineApplyEndpoint";

    /**
     * How many events an inbox worker may claim now ({@code Integer}). Set and read by the
     * dispatcher route only; internal to the inbox.
     */
    public static final String INBOX_ROOM = "SynclineInboxRoom";

    /**
     * {@code true} when the last claim found fewer due events than it asked for ({@code Boolean}).
     * Set by the inbox's claim step; internal to the inbox.
     */
    public static final String INBOX_DRAINED = "SynclineInboxDrained";

    /**
     * {@code true} once the event was marked done in the transaction that applied it
     * ({@code Boolean}). Set by the commit stage ({@code SyncGuard}); internal, read only.
     */
    public static final String INBOX_COMPLETED = "SynclineInboxCompleted";

    // --- The apply stages' state ---

    /**
     * The state-store transaction applying the event to the target and what the stages learned
     * on the way ({@code SyncUnit}). Set by the idempotent consumer when it admits the event,
     * taken down by the commit; internal: a hook must not set or remove it.
     */
    public static final String SYNC_UNIT = "SynclineSync";

    /**
     * The idempotent consumer's verdict ({@code String}): {@code apply}, or the audit action of an
     * event that goes no further ({@code skipped-duplicate}, {@code skipped-stale}, {@code echo}).
     * Set by the idempotent consumer ({@code SyncGuard}); read only.
     */
    public static final String VERDICT = "SynclineVerdict";

    /**
     * The run id recorded in the audit instead of the inbox event's ({@code String}), e.g.
     * {@code review-12}. Set by a review's resolution; read only.
     */
    public static final String RUN_ID = "SynclineRunId";

    /**
     * Whether the record is applied as a dry run ({@code Boolean}): every stage runs, the target
     * write stage writes nothing, and the idempotent consumer rolls the unit back instead of
     * committing it, leaving {@link #DRY_RUN_OUTCOME}. Set by a backfill's dry run; read only.
     */
    public static final String DRY_RUN = "SynclineDryRun";

    /**
     * Whether a dry run leaves nothing at all behind ({@code Boolean}): besides its target write and
     * its unit, not even the canonical id of a record new to the ID map, which the run gives it for
     * the record's way down the route only. Set by a sync plan, with {@link #DRY_RUN}; read only.
     */
    public static final String SANDBOX = "SynclineSandbox";

    /**
     * Whether a sandboxed dry run replays an event the inbox already applied ({@code Boolean}): the
     * record's state is the one that event left, so it is decided as a change to apply, never as
     * stale or as an echo of Syncline's own write. Set by a shadow replay, with {@link #SANDBOX}; read only.
     */
    public static final String SHADOW_REPLAY = "SynclineShadowReplay";

    /**
     * The compiled model a sync plan evaluates the record by ({@code io.syncline.compiled.CompiledModel}):
     * the stages read it as the model in force on the plan's thread; the idempotent consumer refuses
     * a dry run that reached it on a thread that sees another model. Set by a sync plan; read only.
     */
    public static final String EVALUATED_MODEL = "SynclineEvaluatedModel";

    /**
     * In a backfill's dry run, which parents the backfill creates or links in the target before
     * the record ({@code io.syncline.sync.PlannedParents}): a parent not linked in the target yet
     * but among them counts as resolved. Set by the dry run; read by the reference stage.
     */
    public static final String PLANNED_PARENTS = "SynclinePlannedParents";

    /**
     * How many of the record's references the reference stage gave up on ({@code Integer}): their
     * parent was not linked, and the record is held for review or written with them empty
     * ({@code missingParent}). Set by {@code ReferenceResolver}; read by a backfill's dry run.
     */
    public static final String UNRESOLVED_REFERENCES = "SynclineUnresolvedReferences";

    /**
     * What a dry run found the record would come to ({@code io.syncline.sync.DryRunOutcome}).
     * Set by the idempotent consumer ({@code SyncGuard}) in a dry run; read only.
     */
    public static final String DRY_RUN_OUTCOME = "SynclineDryRunOutcome";

    /**
     * The person the change is made for (who resolved a review), audited as its actor
     * ({@code String}). Set by a review's resolution and by a route file that acts for someone;
     * read only.
     */
    public static final String ACTOR = "SynclineActor";

    /**
     * {@code true} when Syncline has just written the event's source itself (the first write of a
     * two-way review resolution), so that the source's webhook of those values is known as an echo
     * ({@code Boolean}). Set by a conflict review's resolution; read only.
     */
    public static final String SOURCE_WRITTEN = "SynclineSourceWritten";

    /**
     * A claim the idempotent consumer makes in the unit's transaction before it applies the event
     * ({@code UnitClaim}): a review item's resolution, so that the item and its outcome commit
     * together. Set by the review resolver; internal.
     */
    public static final String UNIT_CLAIM = "SynclineUnitClaim";

    // --- Inbox batches ---

    /**
     * The inbox batch whose transaction the events' units borrow ({@code ApplyBatch}). Set by the
     * inbox's batch step on the batch's exchange and each event's; internal.
     */
    public static final String APPLY_BATCH = "SynclineApplyBatch";

    /**
     * On a batch's exchange: the exchanges of its events, in claim order
     * ({@code List<Exchange>}). Set by the inbox dispatcher; internal. A mapping with a hook is not
     * applied in batches, so a hook never sees a batch's exchange.
     */
    public static final String APPLY_EVENTS = "SynclineApplyEvents";

    /**
     * On an inbox worker's exchange: told ({@code Runnable}) as each stage of an apply route takes
     * up each of its events, so that liveness sees a long apply that makes progress as alive. Set
     * by the inbox's workers; internal.
     */
    public static final String PROGRESS = "SynclineProgress";

    /**
     * On a batch's exchange whose stage failed on one of its events: that event's exchange, so
     * that whoever applied the batch can take that event out and apply the rest again (a
     * backfill's page). Not set for a failure of the batch as a whole (a multi-row write, two
     * events of one record); internal.
     */
    public static final String FAILED_EVENT = "SynclineFailedEvent";

    /**
     * When a record applied outside the inbox was read ({@code Instant}), for a record that would
     * wait for a parent: set by a backfill's page applied in its own transaction, whose waiting
     * records are put into the inbox to wait there. A record with neither this nor an inbox event
     * (a dry run, a plan) cannot wait; internal.
     */
    public static final String RECEIVED_AT = "SynclineReceivedAt";

    /**
     * The canonical record, kept while the {@code beforeWrite} hook holds the body (the values
     * about to be written). Set and removed by {@code BeforeWriteHook}; a hook must not touch it.
     */
    public static final String HOOK_RECORD = "SynclineHookRecord";

    // --- A review's resolution, carried through the held event's apply route ---

    /**
     * The target record a person chose for an ambiguous match ({@code MatchChoice}): the match
     * stage takes it instead of matching again. Set by the review resolver; read only.
     */
    public static final String MATCH_CHOICE = "SynclineMatchChoice";

    /**
     * A person's decisions on a conflict held for review ({@code ReviewResolution}): the conflict
     * processor takes them instead of asking the fields' strategies. Set by the review resolver;
     * read only.
     */
    public static final String REVIEW_RESOLUTION = "SynclineReviewResolution";

    /**
     * Values a person supplied for the fields a required-field policy {@code hold} held
     * ({@code Map<String, Object>}, canonical, by field). Set by the review resolver; the
     * transformer takes them instead of holding the record. Read only.
     */
    public static final String SUPPLIED_VALUES = "SynclineSuppliedValues";

    /**
     * The names of the rules {@code hold} a person approved the change against
     * ({@code Collection<String>}). Set by the review resolver; the rules stage lets the change
     * pass those rules. Read only.
     */
    public static final String RULE_APPROVAL = "SynclineRuleApproval";

    // --- Outcomes, for the error handlers and responses ---

    /**
     * The id of the review item the event was just held as ({@code Long}). Set by the review
     * queue step; read by the webhook's error answer. Read only.
     */
    public static final String REVIEW_ITEM_ID = "SynclineReviewItemId";

    /**
     * The id of the dead letter the event was just stored as ({@code Long}). Set by the
     * dead-letter repository; read by the webhook's error answer. Read only.
     */
    public static final String DEAD_LETTER_ID = "SynclineDeadLetterId";

    /**
     * The id of the apply route an inbox event failed in (a fan-out's failing target), named by
     * its dead letter. Set by {@code FailedRoute} when the route's exchange ends with an error;
     * read only.
     */
    public static final String FAILED_ROUTE = "SynclineFailedRoute";

    // --- Reconciliation ---

    /**
     * The reconciliation job the route runs ({@code String}). Set by the reconcile template's
     * first step; read by the reconciliation stages.
     */
    public static final String RECONCILIATION_JOB = "SynclineReconciliationJob";

    // --- Headers ---

    /**
     * HTTP header of a webhook request: the sender's event id, kept for idempotency when the
     * sender gives one (its signature scheme's delivery id takes precedence). Read by the inbox's
     * intake step.
     */
    public static final String EVENT_ID_HEADER = "X-Event-Id";

    /**
     * Header of a message a Camel-endpoint target is sent: the write's key, the same for each attempt
     * at one event's write ({@code io.syncline.connector.spi.WriteKeys}), for the receiver to drop a
     * redelivered message by.
     */
    public static final String MESSAGE_ID_HEADER = "SynclineMessageId";

    /** Header of a message a Camel-endpoint target is sent: {@code create}, {@code update} or {@code delete}. */
    public static final String OPERATION_HEADER = "SynclineOperation";

    /** Header of a message a Camel-endpoint target is sent: the model's entity of its record. */
    public static final String ENTITY_HEADER = "SynclineEntityName";
}
