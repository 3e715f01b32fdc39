package io.syncline.model;

import java.util.regex.Pattern;

/** What a mapping needs to be written over HTTP: a resource path, and write methods only where HTTP is spoken. */
final class RestMappingRules {

    /** A path under the baseUrl: leading slash, no query, fragment, blanks or trailing slash. */
    static final Pattern RESOURCE = Pattern.compile("(/[^/?#\\s]+)+");

    /** An object's name, for a system whose preset places it in a path ({@link RestSystem#objects()}). */
    static final Pattern OBJECT = Pattern.compile("[A-Za-z0-9_.-]+");

    private RestMappingRules() {
    }

    static void check(String path, SystemMapping mapping, SystemDefinition system, ProblemReporter problems) {
        if (system == null || system instanceof PluggedSystem) {
            return; // reported already
        }
        if (!(system instanceof RestSystem)) {
            if (mapping.resource() != null) {
                problems.report(path + ".resource", "resource is for REST systems only", "remove resource (a JDBC mapping names its table)");
            }
            if (mapping.write() != null) {
                problems.report(path + ".write", "write methods are for REST systems only", "remove write");
            }
            if (mapping.envelope() != null) {
                problems.report(path + ".envelope", "a record envelope is for REST systems only", "remove envelope");
            }
            return;
        }
        RestSystem rest = (RestSystem) system;
        if (mapping.resource() != null && rest.objects() != null && !mapping.resource().startsWith("/")
                && !OBJECT.matcher(mapping.resource()).matches()) {
            problems.report(path + ".resource", "resource '" + mapping.resource() + "' is not the name of an object of "
                    + rest.type(), "name the object alone (e.g. resource: contacts), or write the collection path starting with /");
        } else if (mapping.resource() != null && rest.resourceOf(mapping.resource()) == null) {
            problems.report(path + ".resource", "the objects of " + rest.type() + " place no object '" + mapping.resource() + "'",
                    "name one of " + rest.objects().named().keySet() + ", give objects a path with {object} in it, or write"
                            + " the collection path starting with /");
        } else if (mapping.resource() != null && !RESOURCE.matcher(rest.resourceOf(mapping.resource())).matches()) {
            problems.report(path + ".resource", "resource '" + mapping.resource() + "' is not a path under the baseUrl",
                    "write the collection path, starting with / and without query or trailing /, e.g. resource: /crm/v3/objects/contacts");
        }
        checkEnvelope(path + ".envelope", mapping.envelope(), problems);
        if (mapping.write() != null && mapping.resource() == null) {
            problems.report(path, "a mapping that declares write methods needs the resource it writes to",
                    "add resource: /<collection path>, e.g. /crm/v3/objects/contacts");
        }
    }

    /** Each path of an envelope: names with {@code [0]} after a step that is an array. */
    static void checkEnvelope(String path, RestObjects.Envelope envelope, ProblemReporter problems) {
        if (envelope == null) {
            return;
        }
        for (String[] side : new String[][]{{"request", envelope.request()}, {"answer", envelope.answer()}}) {
            if (side[1] != null && !RestObjects.Envelope.PATH.matcher(side[1]).matches()) {
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
        if (spec.path() != null && !RESOURCE.matcher(spec.path().replace("{object}", "o")).matches()) {
            problems.report(path + ".path", "'" + spec.path() + "' is not a path under the baseUrl",
                    "write it starting with /, without query or trailing /, e.g. /api/v2/{object}");
        }
        if (spec.item() != null && (!spec.item().contains("{id}")
                || !RESOURCE.matcher(spec.item().replace("{object}", "o").replace("{id}", "1")).matches())) {
            problems.report(path + ".item", "'" + spec.item() + "' is not a record's path with {id} in it",
                    "write it starting with /, e.g. /{object}/{id}.json");
        }
        checkEnvelope(path + ".envelope", spec.envelope(), problems);
    }
}
