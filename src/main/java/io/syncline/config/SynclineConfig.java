package io.syncline.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Syncline's own settings, under the {@code syncline.} prefix. Unknown keys under that prefix
 * fail start-up naming the key ({@code smallrye.config.mapping.validate-unknown=true}).
 */
@ConfigMapping(prefix = "syncline")
public interface SynclineConfig {

    Store store();

    Routes routes();

    Model model();

    Inbox inbox();

    Idempotency idempotency();

    /** The idempotent consumer's dedupe window. */
    interface Idempotency {

        /** How long an applied event's key is kept: a redelivery within this window is a duplicate. */
        @WithDefault("30d")
        java.time.Duration retention();

        /** How often expired keys are purged. */
        @WithDefault("1h")
        java.time.Duration cleanupInterval();
    }

    Privacy privacy();

    /**
     * The secret that sensitive fields' values are encrypted and digested under (env
     * {@code SYNCLINE_FIELD_KEY}: 32 random bytes in base64, from a Secret); required when the model
     * marks a field sensitive (docs/privacy.md, "Sensitive fields").
     */
    Optional<String> fieldKey();

    /**
     * The secret before the last rotation of {@link #fieldKey()} (env {@code SYNCLINE_FIELD_KEY_PREVIOUS}):
     * inbox payloads encrypted under it are still read.
     */
    Optional<String> fieldKeyPrevious();

    /** Personal data in Syncline's own tables. */
    interface Privacy {

        /**
         * Audit diffs and dead-letter payloads older than this are reduced to field names and
         * digests (route {@code privacy-retention}); an entity may keep its own age in
         * {@link #retentionPerEntity}.
         */
        @WithDefault("90d")
        java.time.Duration retention();

        /** Per entity, e.g. {@code syncline.privacy.retention-per-entity.contact=30d}. */
        java.util.Map<String, java.time.Duration> retentionPerEntity();

        /** How often the reduction runs. */
        @WithDefault("1h")
        java.time.Duration retentionInterval();

        /**
         * The key of the HMAC-SHA256 digests that tombstones and erasure proofs keep of a person's
         * identifiers (env {@code SYNCLINE_PRIVACY_DIGEST_KEY}, from a Secret). Without it they are
         * plain SHA-256, which anyone who guesses an identifier (an e-mail address) can confirm.
         */
        java.util.Optional<String> digestKey();

        /**
         * How often each replica reloads the tombstones of erased people; an erasure's first write
         * waits twice this long, so that every replica refuses the person's changes before it.
         */
        @WithDefault("2s")
        java.time.Duration tombstoneRefresh();

        /** How often route {@code privacy-erasure} looks for erasure parts that are due. */
        @WithDefault("2s")
        java.time.Duration erasureInterval();
    }

    Http http();

    Webhook webhook();

    /** Incoming webhooks. */
    interface Webhook {

        /**
         * How long a handshake opened through the admin API is awaited (a webhook created at a sender
         * that hands its secret over, Asana's): the sender makes it while the webhook is created.
         */
        @WithDefault("10m")
        java.time.Duration handshakeWindow();
    }

    Review review();

    /** The human review queue. */
    interface Review {

        /**
         * Open items older than this are overdue: counted in {@code syncline_review_items_overdue}
         * and listed by the {@code syncline-review-queue} health check (readiness stays UP).
         */
        @WithDefault("24h")
        java.time.Duration maxAge();
    }

    IdMap idMap();

    /** The cross-system ID map. */
    interface IdMap {

        /**
         * Most links kept in memory (about 400 bytes each). A link never changes once made, so a
         * remembered one is always right; a record not remembered is looked up.
         */
        @WithDefault("20000")
        int cacheSize();

        /**
         * The largest CSV body {@code POST /admin/id-map/import} takes (every other request keeps
         * {@code quarkus.http.limits.max-body-size}). It is read as it streams, to a temporary
         * file, never held in memory: a million links are about 70 MB.
         */
        @WithDefault("256M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize importMaxBodySize();
    }

    Health health();

    /** What liveness watches. */
    interface Health {

        /**
         * An inbox worker inside one step for longer than this, or a dispatcher that has not come
         * round its loop, is wedged: liveness turns DOWN so that the orchestrator restarts the
         * pod, within a minute with a probe every 10 s. A worker stamps its progress as each stage
         * of its apply route takes up each event, so one step is one stage of one event: above
         * the longest single wait it makes, each bounded (the store's 30 s reads, a REST
         * system's 30 s request, a JDBC target's 10 s write), however long a slow store makes a
         * whole batch.
         */
        @WithDefault("45s")
        java.time.Duration wedgedAfter();
    }

    Jdbc jdbc();

    /** The pools Syncline makes for JDBC systems declared by {@code url:} in the model. */
    interface Jdbc {

        /** Longest wait for a TCP connection to the system's database. */
        @WithDefault("5s")
        java.time.Duration connectTimeout();

        /** Longest wait for one answer from the system's database; longer and the connection is given up. */
        @WithDefault("60s")
        java.time.Duration readTimeout();

        /**
         * Longest wait for one answer while an inbox worker applies an event (matching and writing
         * on the target), for systems declared by {@code url:}. A write takes milliseconds; a
         * worker waiting longer holds up the other targets' events, and a wait longer than
         * {@code syncline.health.wedged-after} would count as wedged.
         */
        @WithDefault("10s")
        java.time.Duration writeTimeout();
    }

    Records records();

    Check check();

    /** The check of every system before the first event ({@code GET /admin/check}, docs/reference/check.md). */
    interface Check {

        /**
         * Longest one system's check may take, all its calls together; a system that has not
         * answered by then is reported failed with what it was doing. Each call is bounded by
         * its own timeout as well (the HTTP request timeout, a query timeout).
         */
        @WithDefault("20s")
        java.time.Duration timeout();
    }

    /** The record status API and its sync-before-ship gate. */
    interface Records {

        /** Longest the gate waits for a re-sync ({@code ?syncNow=true}) before it answers. */
        @WithDefault("10s")
        java.time.Duration syncWait();
    }

    /** Outgoing HTTP: writes to REST targets and OAuth2 token requests. */
    interface Http {

        /** Longest wait for a TCP (and TLS) connection to a REST system. */
        @WithDefault("5s")
        java.time.Duration connectTimeout();

        /** Longest wait for the answer to one request, from sending it to the end of the response. */
        @WithDefault("30s")
        java.time.Duration requestTimeout();
    }

    Alerts alerts();

    /**
     * The alert notifier: the PrometheusRule's conditions evaluated by Syncline itself, sent to
     * Slack and/or e-mail (docs/reference/alerts.md). On when a channel is set. The thresholds
     * and windows are the rule's.
     */
    interface Alerts {

        /**
         * Slack incoming-webhook URL the alerts are posted to. A secret: set it with the
         * environment variable {@code SYNCLINE_ALERTS_SLACK_URL}. None, no Slack messages.
         */
        java.util.Optional<String> slackUrl();

        /**
         * Addresses the alerts are mailed to, through the SMTP server of {@code quarkus.mailer.*}
         * (its password from {@code QUARKUS_MAILER_PASSWORD}). None, no e-mail.
         */
        java.util.Optional<java.util.List<String>> emailTo();

        /** How often the conditions are evaluated. */
        @WithDefault("1m")
        java.time.Duration interval();

        /**
         * At most one message per condition (an alert and its labels) within this time: a
         * condition that clears and returns inside it sends nothing more; the state it ends in is
         * sent once the time is up.
         */
        @WithDefault("15m")
        java.time.Duration minInterval();

        /**
         * Inbox not draining: events waited throughout this time and none was applied, or (Kafka
         * mode) a partition of the inbox topic held records this long without the group's offset moving.
         */
        @WithDefault("15m")
        java.time.Duration inboxStall();

        /**
         * Inbox backlog old: the event accepted first among those not yet applied (events waiting
         * for a record they name aside) has waited longer than this (SynclineInboxBacklogOld); the
         * readiness details call the inbox's backlog degraded meanwhile.
         */
        @WithDefault("15m")
        java.time.Duration inboxAge();

        /**
         * Sync lag: the 95th percentile of the lag of the changes applied within {@link #lagWindow}
         * above this (SynclineSyncLagHigh). The lag histogram has a bucket here.
         */
        @WithDefault("5m")
        java.time.Duration lagThreshold();

        @WithDefault("10m")
        java.time.Duration lagWindow();

        /** Failure spike: more than this share of received events failed within {@link #failureWindow}… */
        @WithDefault("0.05")
        double failureRatio();

        /** …and at least this many. */
        @WithDefault("10")
        int failureMinimum();

        @WithDefault("10m")
        java.time.Duration failureWindow();

        /** Dead letters growing: more dead letters wait than this long ago. */
        @WithDefault("1h")
        java.time.Duration deadLetterWindow();

        /**
         * Schema drift: a mapped field seen before is absent from this many payloads in a row of
         * its source and entity ({@code syncline_schema_drift}).
         */
        @WithDefault("50")
        int schemaDriftWindow();

        /**
         * Backfill stalled: a running backfill has not moved on (a page read and stored, a
         * run's events applied, an entity done) for longer than this (SynclineBackfillStalled).
         * A page of a slow source must take less.
         */
        @WithDefault("30m")
        java.time.Duration backfillStall();

        /**
         * Capture stopped: no replica has read a change capture's source (its database's log, its
         * change stream) for longer than this: it failed, or waits for its system, everywhere
         * (SynclineCaptureStopped).
         */
        @WithDefault("5m")
        java.time.Duration captureStopped();

        /**
         * Capture lagging: the replica that captures read its last change longer than this after
         * the change committed in its source (SynclineCaptureLagging).
         */
        @WithDefault("5m")
        java.time.Duration captureLag();

        /**
         * Reconciliation overdue: a scheduled job has not started a run for this long after its
         * schedule's fire time (SynclineReconciliationOverdue).
         */
        @WithDefault("15m")
        java.time.Duration reconciliationGrace();
    }

    Reconciliation reconciliation();

    Backfill backfill();

    /** Backfills' runners (docs/backfill.md). The backfills themselves are declared in the model. */
    interface Backfill {

        /** How often each replica looks for a backfill job to run (queued, or left by a replica that died). */
        @WithDefault("2s")
        java.time.Duration claimInterval();

        /**
         * A running job whose runner has not reported for this long is taken over by another
         * replica, from its last committed page. Runners report at least every few seconds.
         */
        @WithDefault("30s")
        java.time.Duration lease();

        /**
         * Records of a dry run's page decided at once, each down its apply routes on a thread of
         * its own: a dry run decides each record in a transaction of its own, where a run's
         * events are applied by the inbox workers in batches.
         */
        @WithDefault("4")
        int dryRunThreads();

        /** How often a running job logs its progress. */
        @WithDefault("10s")
        java.time.Duration progressInterval();

        /**
         * A run's events in the inbox not yet applied, at most, before it reads on: the real-time
         * events behind a run wait for at most this many.
         */
        @WithDefault("4000")
        int maxOpenEvents();

        /**
         * Whether a run applies each page of records to its targets in the page's own transaction
         * (docs/backfill.md#the-run), putting into the inbox only what a page cannot decide; false
         * puts every record into the inbox for the inbox workers to apply.
         */
        @WithDefault("true")
        boolean applyPages();
    }

    /** Scheduled reconciliation: notifications and the weekly summary. Jobs themselves are declared in the model. */
    interface Reconciliation {

        /**
         * Slack-compatible incoming-webhook URL ({@code {"text": …}}) told about runs that found
         * differences or were untrustworthy, and sent the weekly summary. A secret: set it with
         * the environment variable {@code SYNCLINE_RECONCILIATION_NOTIFICATION_URL}. None, no notifications.
         */
        java.util.Optional<String> notificationUrl();

        /** Quartz cron of the weekly summary, in the scheduler's time zone (UTC by default). */
        @WithDefault("0 0 8 ? * MON")
        String weeklySummary();

        /** Schedule the jobs that declare a {@code schedule}; off leaves only on-demand runs (admin API). */
        @WithDefault("true")
        boolean schedulesEnabled();

        /**
         * How long, in all, a run's pull waits for a source whose daily call budget is spent (a
         * Salesforce org's {@code dailyCallBudget}, or its own allowance): it asks again every
         * minute and goes on where it was once the budget allows (the next UTC midnight). Past
         * this, the side fails as deferred and the run changes nothing. 0 fails it at once.
         */
        @WithDefault("24h")
        java.time.Duration longestBudgetWait();
    }

    /** The durable inbox and its workers. */
    interface Inbox {

        /**
         * Where an accepted webhook event waits for the workers: {@code postgresql}, the state
         * store's inbox table (the webhook answers once the event is committed there), or
         * {@code kafka}, a topic partitioned by record (the webhook answers once the brokers
         * acknowledged it; docs/kafka-inbox.md). With {@code postgresql} nothing of Kafka starts.
         */
        @WithDefault("postgresql")
        InboxMode mode();

        /** The topic, brokers and consumers of {@code mode: kafka}; read only in that mode. */
        KafkaInbox kafka();

        /** The two places an accepted event can wait. */
        enum InboxMode {
            POSTGRESQL, KAFKA
        }

        interface KafkaInbox {

            /** Bootstrap servers, {@code host:port[,host:port]}. */
            @WithDefault("localhost:9092")
            String brokers();

            /** The topic webhook events go to, keyed by record; its partitions bound how many consumers apply at once. */
            @WithDefault("syncline-inbox")
            String topic();

            /** The consumer group the replicas share: each partition is applied by one of them at a time. */
            @WithDefault("syncline-inbox")
            String groupId();

            /**
             * Longest wait for the brokers' acknowledgement (all in-sync replicas) of a webhook's
             * event; past it the webhook is answered 503 {@code inbox_unavailable} with Retry-After.
             * No thread waits meanwhile; the default keeps every answer within 5 s.
             */
            @WithDefault("4s")
            java.time.Duration deliveryTimeout();

            /** Consumer threads on this replica, each with its share of the topic's partitions. */
            @WithDefault("4")
            int consumers();

            /**
             * How often the background probe asks the brokers for the consumer group's lag on the
             * topic (readiness {@code syncline-kafka-inbox}, {@code syncline_inbox_kafka_lag}).
             */
            @WithDefault("5s")
            java.time.Duration probeInterval();

            /**
             * Longest the probe waits for the brokers' answers; readiness is DOWN once a probe failed
             * or none answered for the interval and this together.
             */
            @WithDefault("5s")
            java.time.Duration probeTimeout();
        }

        /**
         * Whether this replica claims and applies inbox events. {@code false}: it only accepts
         * webhooks into the inbox, for the replicas that apply (an intake-only deployment, or a
         * benchmark that preloads a backlog).
         */
        @WithDefault("true")
        boolean apply();

        /** Most events the dispatcher claims at a time; it claims again as soon as they are queued for the workers. */
        @WithDefault("50")
        int batchSize();

        /** Longest wait after a claim that found nothing more due; an event this replica accepts ends it at once. */
        @WithDefault("200ms")
        java.time.Duration pollInterval();

        /**
         * How long the dispatcher, woken by an event this replica accepted, waits for more before
         * it claims: events arriving at a steady rate are then applied several in a transaction.
         * 0 claims at once. A backlog is claimed without waiting.
         */
        @WithDefault("10ms")
        java.time.Duration claimLinger();

        /**
         * Threads applying claimed events side by side, and the size of their queue. No two
         * claimed events belong to one record, so each record's events still apply in order.
         */
        @WithDefault("8")
        int workers();

        /** How long a claimed event is a worker's; after that (the worker died) it is claimed again. */
        @WithDefault("60s")
        java.time.Duration lease();

        /** Applying yields to accepting while webhooks come in a burst. */
        IntakePriority intakePriority();

        /** Several events of an apply route applied in one state-store transaction. */
        ApplyBatching applyBatch();

        /** Attempts before a transiently failing event becomes a dead letter. */
        @WithDefault("8")
        int maxAttempts();

        /** Delay before the second attempt; doubled for each further one, with jitter. */
        @WithDefault("1s")
        java.time.Duration retryDelay();

        /** Longest delay between attempts. */
        @WithDefault("5m")
        java.time.Duration maxRetryDelay();

        /**
         * How long an applied event stays in the inbox after it was applied (its payload to look
         * at, its event id refusing a redelivery at intake); then it is purged.
         */
        @WithDefault("30d")
        java.time.Duration retention();

        /** How often applied events older than the retention are purged. */
        @WithDefault("1h")
        java.time.Duration cleanupInterval();

        /**
         * Events this replica stores after which it has PostgreSQL analyse the inbox and the state
         * store's tables that grow with every event, as autovacuum would if it were on and its
         * threshold reached (docs/deployment.md); 0 never. The first analyses come sooner (after
         * 500 events, then twice as many each time up to this), so that tables never analysed are
         * not planned without statistics.
         */
        @WithDefault("10000")
        int analyzeAfter();
    }

    interface ApplyBatching {

        /**
         * Ids of further apply routes (route files that replace the apply template for a mapping)
         * whose claimed events a worker may apply several in one transaction (one commit for all;
         * any failure rolls them all back and applies each on its own). Routes the model makes
         * from the apply template for a JDBC target without hooks are batched without being
         * listed; one that writes outside the state store's transaction is found out at its first
         * batch and applied one event at a time from then on. None by default.
         */
        java.util.Optional<java.util.Set<String>> routes();

        /**
         * Most events in one transaction (and one trip down the apply route); a claim is first
         * shared out among all the workers. 16 drained new contacts 7-53 % faster than 8 in four
         * alternating pairs (docs/adr/0004-set-based-apply.md): a batch's routing and commit
         * are paid once for more events.
         */
        @WithDefault("16")
        int maxEvents();

        /**
         * Fewest events in one transaction when a claim is shared out among idle workers (a claim
         * of fewer goes to one worker whole): several events in one transaction cost less CPU
         * each than one in each, and idle workers often wait for the same two vCPUs.
         */
        @WithDefault("4")
        int minEvents();
    }

    interface IntakePriority {

        /** Webhook requests per second above which fewer events are applied at once; 0 turns this signal off. */
        @WithDefault("1500")
        long rate();

        /**
         * HTTP requests in progress (received, not yet answered), on average when a webhook is accepted, from which fewer
         * events are applied at once; 0 turns this signal off.
         */
        @WithDefault("8")
        int inProgress();

        /** Events applied at once during a burst (either signal above its threshold). */
        @WithDefault("2")
        int workers();
    }

    /**
     * The state store: its schema, and how long a thread waits on it
     * (docs/adr/0012-bounded-waits-on-databases.md). The pool's own bounds (acquisition timeout,
     * validation) are quarkus.datasource.jdbc.* keys.
     */
    interface Store {

        /**
         * The PostgreSQL schema (on the embedded H2 store, the H2 schema) that holds the state
         * store's tables and Flyway's history of them: Syncline creates it on first start, and
         * looks up its own tables there first, so that it shares a database with tables of the
         * user's own. A lower-case identifier; {@code public} keeps the tables where Syncline
         * kept them before it had a schema of its own (docs/deployment.md).
         */
        @WithDefault("syncline")
        String schema();

        /**
         * Longest wait for one answer from the state store once the application has started: a
         * connection that stays silent longer is given up as dead. Migrations at start-up are not
         * bounded by it.
         */
        @WithDefault("30s")
        java.time.Duration readTimeout();

        /**
         * The same bound for the statements that may rightly run long: a reconciliation's staging
         * (COPY, ANALYZE, the diff's join over both sides). 0 waits as long as they take.
         */
        @WithDefault("30m")
        java.time.Duration longReadTimeout();

        /**
         * Longest a webhook waits to be stored, from asking for a connection to the INSERT's
         * answer; past it the webhook is answered 503 {@code store_unavailable} with Retry-After.
         */
        @WithDefault("3s")
        java.time.Duration intakeTimeout();

        /** How often readiness's background probe asks the state store whether it answers. */
        @WithDefault("1s")
        java.time.Duration probeInterval();

        /** Longest the probe waits for the store's answer (connection and {@code SELECT 1}). */
        @WithDefault("2s")
        java.time.Duration probeTimeout();
    }

    interface Model {

        /**
         * Reload the model files ({@code *.syncline.yaml}) when they change. On in dev mode; a
         * reloaded model with problems is not used and readiness reports why.
         */
        @WithDefault("false")
        boolean reload();
    }

    interface Routes {

        /**
         * Folder holding the model files ({@code *.syncline.yaml}) and route files
         * ({@code *.camel.yaml}); relative paths resolve against the working directory. When it
         * does not exist or holds neither kind of file, nothing is served and readiness is DOWN
         * naming it. Unset: the working directory's {@code routes/}, or when there is none the
         * files packaged in the application (the demo).
         */
        Optional<Path> location();

        /**
         * Reload an edited route file ({@code *.camel.yaml}) in place: its routes are replaced,
         * every other route keeps running. On in dev mode; a file that no longer loads turns
         * readiness DOWN naming it, until it is mended.
         */
        @WithDefault("false")
        boolean reload();
    }
}
