package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.spi.Erasure;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.connector.spi.TargetStages;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Ability;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemTypeRules;
import io.syncline.webhook.SystemWebhook;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * System type {@code rest}: an HTTP API, as the model's mapping of the entity for that system
 * says: {@code resource} (the collection path under {@code baseUrl}), {@code key} (where the
 * system's id is in its records and in a create's answer) and {@code write} (the HTTP methods;
 * POST to create and PATCH to update by default). Reads pages in every pagination style, reads
 * changes by the API's modified-since filter as a poll's {@code changes} describes it, fetches,
 * creates ({@code POST {baseUrl}{resource}}), updates ({@code PATCH {baseUrl}{resource}/{id}}),
 * deletes and erases; a record already gone counts as deleted, so a replayed delete is harmless.
 *
 * <p>Failures are thrown for the inbox to act on: {@link TargetUnavailableException} (no
 * answer, timeout, 408, 429, 5xx; retried, no earlier than {@code Retry-After}) and
 * {@link TargetRejectedException} (other 4xx, with the provider's message; a dead letter at
 * once).
 *
 * <p>A generic REST API has no search the model could describe, so its records are found through
 * the ID map only. Its current values are read back (fetched) before a write only where the
 * system says {@code readBack: true}, a call a write; else the conflict processor compares with
 * what Syncline last wrote there.
 */
@ApplicationScoped
public class RestSystemType extends SystemTypeSupport implements RestTargetStages.KeyedWrites {

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.READ_CHANGES,
            Ability.FETCH, Ability.READ_BACK, Ability.WRITE, Ability.ERASE));

    /** What the type checks of its systems, mappings, polls, pulls and captures. */
    public static final SystemTypeRules RULES = RestRules.RULES;

    private final SyncModelRegistry registry;
    private final HttpTargetClient client;
    private final RestRecordPuller puller;

    public RestSystemType(SyncModelRegistry registry, SynclineConfig config, ObjectMapper json, RestConnections connections) {
        super(RestSettings.TYPE, ABILITIES, RULES);
        this.registry = registry;
        this.client = connections.client();
        this.puller = connections.puller();
    }

    /** Type {@code rest} serves the presets that need no plug-in. */
    @Override
    public boolean servesPresets() {
        return true;
    }

    @Override
    public Optional<SystemWebhook> webhook(String system, SystemDefinition definition) {
        return RestWebhooks.of(definition);
    }

    /** One authenticated call of its first mapped collection ({@link RestSystemCheck}). */
    @Override
    public List<SystemCheck> check(String system, SyncModel model, Duration timeout) {
        return RestSystemCheck.check(system, model, client, new RestSystemCheck.Probe() {
        });
    }

    @Override
    public RecordPuller puller() {
        return puller;
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        return client.read(target(entity, system), id);
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        return create(entity, system, row, null);
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row, String idempotencyKey) {
        return client.create(target(entity, system), row, idempotencyKey).targetId();
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        update(entity, system, id, row, null);
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row, String idempotencyKey) {
        client.update(target(entity, system), id, row, idempotencyKey);
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        int status = client.delete(target(entity, system), id).status();
        return status != 404 && status != 410;
    }

    /** The record stages, whose creates and updates carry the system's idempotency key ({@link RestTargetStages}). */
    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new RestTargetStages(this, context);
    }

    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        return erasure.byRecordCalls(this, registry.current().transformer(), entity, system, id);
    }

    /** The entity's target in {@code system}, as the current model declares it. */
    private RestTarget target(String entity, String system) {
        return RestTarget.of(registry.current().model(), entity, system);
    }
}
