package io.syncline.connector.bamboohr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import io.syncline.model.FieldMapping;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * System type {@code bamboohr}: BambooHR's API, its employees. The preset ({@code presets/bamboohr.yaml})
 * fixes what BambooHR fixes for every company (the API key as the Basic user, JSON asked for, employees
 * bare both ways under {@code /api/v1/employees}, updates by {@code POST}, pages by {@code _links.next},
 * webhooks signed over the body and their timestamp, each employee fetched); this plug-in does what data
 * cannot say:
 * <ul>
 *   <li>an employee is read with the fields its mapping names ({@code GET /api/v1/employees/{id}?fields=…}),
 *   as BambooHR returns its first and last name alone unless asked for more;</li>
 *   <li>the list names an employee {@code employeeId} where one employee is {@code id}: a listed employee
 *   is read with its {@code id}, so one mapping reads both;</li>
 *   <li>a create is answered 201 with no body and a {@code Location} that is the employee's page in the web
 *   application ({@code …/employees/employee.php?id=123}): the new id is its {@code id} parameter, else its
 *   last path segment;</li>
 *   <li>BambooHR's API deletes no employee (one leaves by a termination): a delete is refused, naming
 *   that.</li>
 * </ul>
 * Its changed-employees report ({@code /api/v1/employees/changed?since=}) answers ids, not employees in an
 * order a poll could follow: an employee's changes come by its webhook.
 */
@Singleton
public class BambooHrSystemType extends RestPresetType {

    public static final String NAME = "bamboohr";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES, Ability.ERASE));

    /** The member a listed employee names its id by. */
    private static final String LISTED_ID = "employeeId";

    public BambooHrSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** A listed employee's {@code employeeId} as its {@code id}, as one employee is read. */
    @Override
    protected Map<String, Object> read(Map<String, Object> employee) {
        if (!employee.containsKey(LISTED_ID) || employee.containsKey("id")) {
            return employee;
        }
        Map<String, Object> read = new LinkedHashMap<>(employee);
        read.put("id", employee.get(LISTED_ID));
        return read;
    }

    /** {@code GET /api/v1/employees/{id}?fields=<the mapping's fields>}; empty where BambooHR has no such employee. */
    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        String fields = model().model().entities().get(entity).mappings().get(system).fields().stream().map(FieldMapping::path)
                .filter(Objects::nonNull).map(path -> path.split("\\.")[0]).filter(path -> !path.equals("id")).distinct()
                .collect(Collectors.joining(","));
        URI uri = URI.create(target.item(id) + "?fields=" + URLEncoder.encode(fields, StandardCharsets.UTF_8));
        HttpResponse<String> response = client().call(target, "GET", uri, null, status -> status == 404);
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(read(answer(target, "GET " + uri.getRawPath(), response)));
    }

    /** {@code POST /api/v1/employees}; the new id from the answer's {@code Location}. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        HttpResponse<String> response = client().call(target, "POST", target.collection(), write(row), status -> false);
        String location = response.headers().firstValue("Location").orElse("");
        String id = idIn(location);
        if (id == null) {
            throw new TargetRejectedException(system, response.statusCode(), null, "POST " + target.resource() + " answered "
                    + response.statusCode() + " without the new employee's id in its Location ('" + location
                    + "'); the employee was probably created");
        }
        return id;
    }

    /** The employee's id in a {@code Location}: its {@code id} parameter, else its last path segment; null when neither. */
    static String idIn(String location) {
        URI uri;
        try {
            uri = URI.create(location.strip());
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("id=") && pair.length() > 3) {
                    return pair.substring(3);
                }
            }
        }
        String path = uri.getRawPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.matches("\\d+") ? last : null;
    }

    /** Refused: BambooHR's API deletes no employee. */
    @Override
    public boolean delete(String entity, String system, String id) {
        throw new TargetRejectedException(system, 0, null, "BambooHR's API deletes no employee (" + id
                + "); an employee leaves by a termination, written as an update of its status and termination date");
    }
}
