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
            return;
        }
        RestSystem rest = (RestSystem) system;
        if (mapping.resource() != null && rest.objects() != null && !mapping.resource().startsWith("/")
                && !OBJECT.matcher(mapping.resource()).matches()) {
            problems.report(path + ".resource", "resource '" + mapping.resource() + "' is not the name of an object of "
                    + rest.type(), "name the object alone (e.g. resource: contacts), or write the collection path starting with /");
        } else if (mapping.resource() != null && !RESOURCE.matcher(rest.resourceOf(mapping.resource())).matches()) {
            problems.report(path + ".resource", "resource '" + mapping.resource() + "' is not a path under the baseUrl",
                    "write the collection path, starting with / and without query or trailing /, e.g. resource: /crm/v3/objects/contacts");
        }
        if (mapping.write() != null && mapping.resource() == null) {
            problems.report(path, "a mapping that declares write methods needs the resource it writes to",
                    "add resource: /<collection path>, e.g. /crm/v3/objects/contacts");
        }
    }
}
