package io.syncline.connector.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code zendesk}: the Zendesk Support API. The preset ({@code presets/zendesk.yaml})
 * fixes what Zendesk fixes for every account (auth by API token, cursor pages of at most 100 and
 * {@code meta.has_more}, the rate limit, the signed webhooks, each object's envelope:
 * {@code {"user": {…}}}); its records are read, fetched, created, updated and deleted by the REST
 * code as that data says. This plug-in adds the search for matching, so that a person Zendesk
 * already has is linked rather than created twice (Zendesk refuses a second user of one e-mail):
 * {@code GET …/search?query=<field>:<value>} for the {@code email} and {@code phone} rules,
 * {@code ?external_id=…} for an {@code externalId} rule on Zendesk's {@code external_id}; each hit a
 * candidate that the entity's match rules then score, the confidence in the audit. Batches
 * ({@link RestPresetType#batch}): a batch's creates go to {@code POST …/create_or_update_many} (Zendesk
 * matches each by e-mail or external id, so a create sent twice updates the user it made) and its
 * updates to {@code PUT …/update_many} (each by its id), {@value #BATCH_LIMIT} users a call; each
 * answers a job, polled at {@code GET /api/v2/job_statuses/{id}} until it is completed, whose
 * {@code results} give each user's outcome.
 */
@Singleton
public class ZendeskSystemType extends RestPresetType {

    public static final String NAME = "zendesk";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH, Ability.BATCH_WRITE), Set.of(Ability.READ_CHANGES));

    /** Most users Zendesk takes in one create_or_update_many or update_many call. */
    static final int BATCH_LIMIT = 100;
    /** How often a batch's job is asked after before the batch is left to the inbox's retry. */
    static final int JOB_POLLS = 30;
    /** The pause between two questions after a job. */
    static final Duration JOB_POLL_PAUSE = Duration.ofMillis(500);

    public ZendeskSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code …/search?query=email:ada@example.com}, or {@code ?external_id=…} for the rule on Zendesk's own parameter. */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        String query = term.path().equals("external_id")
                ? "external_id=" + URLEncoder.encode(term.value(), StandardCharsets.UTF_8)
                : "query=" + URLEncoder.encode(term.path() + ":" + term.value(), StandardCharsets.UTF_8);
        return URI.create(target.collection() + "/search?" + query);
    }

    /** The records found, at the object's list member ({@code users}), else Zendesk's {@code results}. */
    @Override
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        String items = itemsOf(model, entity, system);
        return records(answer.get(items == null ? "results" : items));
    }

    @Override
    protected int batchLimit() {
        return BATCH_LIMIT;
    }

    /** Creates to {@code POST …/create_or_update_many}, updates to {@code PUT …/update_many}. */
    @Override
    protected BatchCall batchCall(RestTarget target, boolean creating) {
        String operation = creating ? "create_or_update_many" : "update_many";
        return new BatchCall(creating ? "POST" : "PUT", URI.create(target.collection() + "/" + operation),
                operation + " " + target.resource());
    }

    /**
     * The answer to one batch of the object's records, listed under the object's plural
     * ({@code {"users": […]}}), each update with its id: a job, asked after until Zendesk says it
     * is {@code completed}, at most {@value #JOB_POLLS} times, then each result ({@code index},
     * else its place; {@code id}; {@code status} {@code Created}, {@code Updated} or
     * {@code Failed} with its {@code error} and {@code details}) the outcome of its record. A job
     * that fails, or is not completed in time, is the whole batch's failure, to try again later:
     * a create sent again is matched to the user it made, an update sent again changes nothing more.
     */
    @Override
    protected List<RecordOutcome> batchOutcomes(RestTarget target, BatchCall call, String items, List<String> ids,
            Map<String, Object> answer) {
        String system = target.system();
        Map<String, Object> job = job(target, answer);
        for (int polls = 0; !"completed".equals(job.get("status")); polls++) {
            if ("failed".equals(job.get("status")) || "killed".equals(job.get("status")) || polls >= JOB_POLLS) {
                throw new TargetUnavailableException(system, null, null, system + " job " + job.get("id") + " of " + call.name()
                        + " (" + ids.size() + " records) is " + job.get("status") + (polls >= JOB_POLLS ? " after " + polls
                                + " questions" : "")
                        + ": the batch is tried again later", null);
            }
            pause();
            URI status = URI.create(target.definition().baseUrl().replaceAll("/+$", "") + "/api/v2/job_statuses/"
                    + URLEncoder.encode(String.valueOf(job.get("id")), StandardCharsets.UTF_8));
            job = job(target, answer(target, client().call(target, "GET", status, null, code -> false)));
        }
        List<RecordOutcome> outcomes = new ArrayList<>(Collections.nCopies(ids.size(), null));
        List<Map<String, Object>> results = records(job.get("results"));
        for (int place = 0; place < results.size(); place++) {
            Map<String, Object> result = results.get(place);
            int at = result.get("index") instanceof Number index ? index.intValue() : place;
            if (at < 0 || at >= ids.size()) {
                continue;
            }
            Object status = result.get("status");
            if (("Created".equals(status) || "Updated".equals(status)) && result.get("id") != null) {
                outcomes.set(at, RecordOutcome.written(String.valueOf(result.get("id")), "Created".equals(status)));
            } else if ("Failed".equals(status) || result.get("error") != null || Boolean.FALSE.equals(result.get("success"))) {
                outcomes.set(at, RecordOutcome.refused(result.get("error") + ": " + result.get("details"), 422));
            }
        }
        return outcomes;
    }

    private static Map<String, Object> job(RestTarget target, Map<String, Object> answer) {
        if (answer.get("job_status") instanceof Map<?, ?> job) {
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) job;
            return status;
        }
        throw new TargetUnavailableException(target.system(), null, null, target.system() + " answered a batch of "
                + target.resource() + " without its job_status", null);
    }

    private static void pause() {
        try {
            Thread.sleep(JOB_POLL_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a Zendesk job", e);
        }
    }
}
