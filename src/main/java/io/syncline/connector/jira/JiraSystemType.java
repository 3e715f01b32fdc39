package io.syncline.connector.jira;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code jira}: Jira Cloud's platform REST API v3. The preset ({@code presets/jira.yaml})
 * fixes what Jira fixes for every site (basic auth by e-mail and API token, a project's issues listed by
 * the JQL search with {@code nextPageToken} pages of 100, writes as {@code {"fields": {…}}}, the rate
 * limit, admin webhooks signed in {@code X-Hub-Signature} and fetched); this plug-in does what data
 * cannot say:
 * <ul>
 *   <li>an issue is {@code {"id", "key", "self", "fields": {…}}}, and its fields are written under
 *   {@code fields}: a read issue's fields are lifted beside its {@code id} and {@code key}, so that one
 *   mapping reads and writes the same paths ({@code summary}, not {@code fields.summary});</li>
 *   <li>a create goes to {@code POST /rest/api/3/issue} (its item without {@code /{id}}), in the
 *   project the system's {@code settings.project} names and with the issue type {@code settings.issueType}
 *   ({@code Task} unless it says another), unless the record names its own; an update sends neither,
 *   as Jira refuses to move an issue by an edit.</li>
 * </ul>
 * Jira's JQL could select changes by {@code updated}, but its search takes no modified-since parameter
 * the REST polling asks by: an issue's changes come by its webhook events.
 */
@Singleton
public class JiraSystemType extends RestPresetType {

    public static final String NAME = "jira";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES));

    /** The system's setting naming the key of the project its issues are listed and created in. */
    static final String PROJECT = "project";
    /** The system's setting naming the issue type a new issue gets. */
    static final String ISSUE_TYPE = "issueType";
    static final String DEFAULT_ISSUE_TYPE = "Task";

    public JiraSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code {"id", "key", "fields": {"summary", …}}} as {@code {"id", "key", "summary", …}}: the fields beside the ids. */
    @Override
    protected Map<String, Object> read(Map<String, Object> issue) {
        return lifted(issue, "fields");
    }

    /** {@code POST /rest/api/3/issue} {@code {"fields": {…, "project": {"key"}, "issuetype": {"name"}}}}; the new id from the answer. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        Map<String, Object> fields = new LinkedHashMap<>(write(row));
        Map<String, String> settings = target.definition().settings();
        if (settings.get(PROJECT) != null) {
            fields.putIfAbsent("project", Map.of("key", settings.get(PROJECT)));
        }
        fields.putIfAbsent("issuetype", Map.of("name", settings.getOrDefault(ISSUE_TYPE, DEFAULT_ISSUE_TYPE)));
        return client().create(target, fields).targetId();
    }
}
