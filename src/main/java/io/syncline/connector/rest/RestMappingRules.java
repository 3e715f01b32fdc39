package io.syncline.connector.rest;

import io.syncline.model.ChangeFilter;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules.KeyMisuse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a mapping needs to be written over HTTP: a resource path, and write methods only where
 * HTTP is spoken; what a poll needs to ask the API for changes, and a pull to read every page.
 */
final class RestMappingRules {

    /** The mapping keys only HTTP speaks, with what a mapping of another type that names one is told. */
    static final Map<String, KeyMisuse> KEYS = keys();

    /** A path under the baseUrl: leading slash, no query, fragment, blanks or trailing slash. */
    static final Pattern RESOURCE = Pattern.compile("(/[^/?#\\s]+)+");
    /**
     * An object's list: its collection path, with the query that selects its records where the API lists
     * them by a search (Jira: {@code /rest/api/3/search/jql?jql=project%3D{project}}), which then needs
     * its {@code item} path, where the record is read, written and deleted.
     */
    static final Pattern LISTED = Pattern.compile("(/[^/?#\\s]+)+(\\?[^#\\s]+)?");

    /** An object's name, for a system whose preset places it in a path ({@link RestSettings#objects()}). */
    static final Pattern OBJECT = Pattern.compile("[A-Za-z0-9_.-]+");

    private RestMappingRules() {
    }

    private static Map<String, KeyMisuse> keys() {
        Map<String, KeyMisuse> keys = new LinkedHashMap<>();
        keys.put("resource", new KeyMisuse("resource is for REST systems only", "remove resource (a JDBC mapping names its table)"));
        keys.put("write", new KeyMisuse("write methods are for REST systems only", "remove write"));
        keys.put("envelope", new KeyMisuse("a record envelope is for REST systems only", "remove envelope"));
        return java.util.Collections.unmodifiableMap(keys);
    }

    static void check(String path, SystemMapping mapping, RestSettings rest, ProblemReporter problems) {
        RestMappingSettings own = mapping.settings(RestMappingSettings.class, path, problems);
        String resource = own.resource();
        if (resource != null && rest.objects() != null && !resource.startsWith("/") && !OBJECT.matcher(resource).matches()) {
            problems.report(path + ".resource", "resource '" + resource + "' is not the name of an object of "
                    + rest.type(), "name the object alone (e.g. resource: contacts), or write the collection path starting with /");
        } else if (resource != null && rest.resourceOf(resource) == null) {
            problems.report(path + ".resource", "the objects of " + rest.type() + " place no object '" + resource + "'",
                    "name one of " + rest.objects().named().keySet() + ", give objects a path with {object} in it, or write"
                            + " the collection path starting with /");
        } else if (resource != null && !(resource.startsWith("/") ? RESOURCE : LISTED).matcher(rest.resourceOf(resource)).matches()) {
            problems.report(path + ".resource", "resource '" + resource + "' is not a path under the baseUrl",
                    "write the collection path, starting with / and without query or trailing /, e.g. resource: /crm/v3/objects/contacts");
        }
        checkEnvelope(path + ".envelope", own.envelope(), problems);
        if (own.write() != null && resource == null) {
            problems.report(path, "a mapping that declares write methods needs the resource it writes to",
                    "add resource: /<collection path>, e.g. /crm/v3/objects/contacts");
        }
    }

    /** Each path of an envelope: names with {@code [0]} after a step that is an array. */
    static void checkEnvelope(String path, Envelope envelope, ProblemReporter problems) {
        if (envelope == null) {
            return;
        }
        for (String[] side : new String[][]{{"request", envelope.request()}, {"answer", envelope.answer()}}) {
            if (side[1] != null && !Envelope.PATH.matcher(side[1]).matches()) {
                problems.report(path + "." + side[0], "envelope path '" + side[1] + "' is not a dotted path of names",
                        "write the member the record is in, e.g. user, data or Contacts[0] (the first of an array)");
            }
        }
    }

    /** A system's objects: every path a path, every item with {@code {id}}, every envelope a path. */
    static void checkObjects(String path, RestObjects objects, ProblemReporter problems) {
        checkObject(path, objects.shared(), problems);
        objects.named().forEach((name, spec) -> {
            if (!OBJECT.matcher(name).matches()) {
                problems.report(path + "." + name, "'" + name + "' is not the name of an object",
                        "use letters, digits, _ . - (the name a mapping's resource gives)");
            }
            checkObject(path + "." + name, spec == null ? RestObjects.Spec.NONE : spec, problems);
        });
    }

    private static void checkObject(String path, RestObjects.Spec spec, ProblemReporter problems) {
        if (spec.path() != null && !LISTED.matcher(spec.path().replace("{object}", "o")).matches()) {
            problems.report(path + ".path", "'" + spec.path() + "' is not a path under the baseUrl",
                    "write it starting with /, without trailing /, e.g. /api/v2/{object}");
        } else if (spec.path() != null && spec.path().contains("?") && spec.item() == null) {
            problems.report(path + ".item", "'" + spec.path() + "' lists the records by a query, so it is no path to one of them",
                    "name the path of one record, e.g. item: /rest/api/3/issue/{id}");
        }
        if (spec.item() != null && (!spec.item().contains("{id}")
                || !RESOURCE.matcher(spec.item().replace("{object}", "o").replace("{id}", "1")).matches())) {
            problems.report(path + ".item", "'" + spec.item() + "' is not a record's path with {id} in it",
                    "write it starting with /, e.g. /{object}/{id}.json");
        }
        checkEnvelope(path + ".envelope", spec.envelope(), problems);
    }

    /** A REST system says how its API is asked for changes. */
    static void checkChanges(String path, String system, ChangeFilter changes, SystemMapping mapping, ProblemReporter problems) {
        if (changes == null) {
            problems.report(path, "polling REST system '" + system + "' needs the query parameter by which its API"
                    + " filters records by modification time",
                    "add changes: {param: updated_since, format: iso-8601,"
                            + " query: {sort_by: update_time, sort_direction: asc}} as the API documents it (format: iso-8601,"
                            + " epoch-seconds or epoch-millis; query: what orders the records oldest first)");
            return;
        }
        if (changes.param() == null || changes.param().isBlank()) {
            problems.report(path + ".changes.param", "no query parameter for the time since which changes are read",
                    "name it as the API documents it, e.g. param: updated_since");
        }
        if (changes.value() != null && !changes.value().contains(ChangeFilter.TIME)) {
            problems.report(path + ".changes.value", "value '" + changes.value() + "' has no " + ChangeFilter.TIME
                    + " for the time since which changes are read",
                    "write where the time goes, e.g. value:"
                            + " \"lastmodifieddate:[{time}..]\", or leave value out to send the time alone");
        }
        if (changes.resource() != null && !RESOURCE.matcher(changes.resource()).matches()) {
            problems.report(path + ".changes.resource", "resource '" + changes.resource() + "' is not a path under the baseUrl",
                    "write the collection path of the changes, starting with /, e.g. /api/v2/incremental/users.json");
        }
        if (changes.resource() == null && RestMappingSettings.of(mapping).resource() == null) {
            problems.report(path, "no resource to read the changes of " + system + " from",
                    "give the mapping its resource, e.g. resource: /api/v2/persons, or changes its own");
        }
    }

    /** A pull reads the mapping's resource page by page, in the system's pagination style. */
    static boolean checkPull(String at, String system, SystemMapping mapping, RestSettings rest, ProblemReporter problems) {
        if (RestMappingSettings.of(mapping).resource() == null) {
            problems.report(at, "the REST mapping of '" + system + "' names no resource to pull",
                    "add resource: <path under baseUrl>, e.g. resource: /crm/v3/objects/contacts");
            return false;
        }
        if (rest.pagination() == null || rest.pagination().style() == null) {
            problems.report(at, "system '" + system + "' declares no pagination, so a pull cannot know it saw everything",
                    "add pagination: {style: cursor | offset | page | link-header | next-url, …} to systems." + system);
            return false;
        }
        return true;
    }
}
