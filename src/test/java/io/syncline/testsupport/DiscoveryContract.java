package io.syncline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google API's discovery document (the {@code discovery#restDescription} Google publishes for
 * each API, its counterpart of an OpenAPI description), checking a request against it: a method
 * of that HTTP method and path template, its path parameters present, each query parameter one
 * the method or the API declares, of its type and within its {@code enum}, repeated only where it
 * may be, and the JSON body of a method that takes one against its schema ({@code type},
 * {@code properties}: no member the schema lacks, {@code items}, {@code enum}, {@code $ref}). A whole
 * published document is pinned as the OpenAPI descriptions are ({@link #published}, {@link PublishedDescriptions}).
 */
public final class DiscoveryContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final List<JsonNode> methods = new ArrayList<>();
    private final boolean whole;
    private final String label;

    private DiscoveryContract(JsonNode document, boolean whole, String label) {
        this.document = document;
        this.whole = whole;
        this.label = label;
        collect(document.path("resources"));
    }

    /** The document in {@code src/test/resources/contracts/<name>}. */
    public static DiscoveryContract load(String name) {
        return read(Path.of("src/test/resources/contracts", name), false, "the excerpt " + name);
    }

    /** The whole published document pinned as {@code name}: placed, else committed ({@link PublishedDescriptions#locate(String)}). */
    public static DiscoveryContract published(String name) {
        PublishedDescriptions.Located located = PublishedDescriptions.locate(name);
        return read(located.file(), located.whole(), located.label());
    }

    private static DiscoveryContract read(Path file, boolean whole, String label) {
        try {
            return new DiscoveryContract(JSON.readTree(Files.readString(file)), whole, label);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the check is against the whole published document. */
    public boolean whole() {
        return whole;
    }

    /** Which file the check used, for a failure's message. */
    public String used() {
        return label;
    }

    /** What is wrong with each of {@code requests} (as a stub received them), each named by its method and path; empty when all are allowed. */
    public List<String> violations(List<HubSpotStub.Received> requests) {
        List<String> problems = new ArrayList<>();
        for (HubSpotStub.Received request : requests) {
            problems.addAll(violations(request.method(), request.path(), request.query(), request.body()));
        }
        return problems;
    }

    private void collect(JsonNode resources) {
        resources.elements().forEachRemaining(resource -> {
            resource.path("methods").elements().forEachRemaining(methods::add);
            collect(resource.path("resources"));
        });
    }

    /** The id of the method the request calls ({@code sheets.spreadsheets.values.get}); null when none. */
    public String methodOf(String httpMethod, String rawPath) {
        JsonNode method = find(httpMethod, rawPath);
        return method == null ? null : method.path("id").asText();
    }

    /** What is wrong with the request; empty when the document allows it. */
    public List<String> violations(String httpMethod, String rawPath, String rawQuery, String body) {
        List<String> problems = new ArrayList<>();
        JsonNode method = find(httpMethod, rawPath);
        if (method == null) {
            problems.add(httpMethod + " " + rawPath + ": no method of " + document.path("id").asText() + " has this path");
            return problems;
        }
        String id = method.path("id").asText();
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        for (String pair : rawQuery == null || rawQuery.isEmpty() ? new String[0] : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, key -> new ArrayList<>()).add(equals < 0 ? ""
                    : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        query.forEach((name, values) -> {
            JsonNode parameter = method.path("parameters").has(name) ? method.path("parameters").get(name)
                    : document.path("parameters").get(name);
            if (parameter == null || !"query".equals(parameter.path("location").asText())) {
                problems.add(id + ": query parameter " + name + " is not one the method takes");
                return;
            }
            if (values.size() > 1 && !parameter.path("repeated").asBoolean()) {
                problems.add(id + ": query parameter " + name + " is given " + values.size() + " times");
            }
            for (String value : values) {
                problems.addAll(scalar(id + ": query parameter " + name, parameter, value));
            }
        });
        boolean takesBody = method.has("request");
        boolean hasBody = body != null && !body.isBlank();
        if (takesBody && !hasBody) {
            problems.add(id + ": the method takes a " + method.path("request").path("$ref").asText() + " body; none was sent");
        } else if (!takesBody && hasBody) {
            problems.add(id + ": the method takes no body; one was sent");
        } else if (takesBody) {
            try {
                check(id + ": body", method.path("request"), JSON.readTree(body), problems);
            } catch (IOException e) {
                problems.add(id + ": the body is not JSON: " + e.getMessage());
            }
        }
        return problems;
    }

    private JsonNode find(String httpMethod, String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        JsonNode best = null;
        int bestLiteral = -1;
        for (JsonNode method : methods) {
            if (!method.path("httpMethod").asText().equalsIgnoreCase(httpMethod)) {
                continue;
            }
            String template = method.path("path").asText();
            Matcher parameter = Pattern.compile("\\{\\+?([^}]+)}").matcher(template);
            StringBuilder regex = new StringBuilder();
            int at = 0;
            while (parameter.find()) {
                regex.append(Pattern.quote(template.substring(at, parameter.start()))).append("([^/]+)");
                at = parameter.end();
            }
            regex.append(Pattern.quote(template.substring(at)));
            int literal = template.replaceAll("\\{[^}]+}", "").length();
            if (path.matches(regex.toString()) && literal > bestLiteral) {
                best = method;
                bestLiteral = literal;
            }
        }
        return best;
    }

    private List<String> scalar(String where, JsonNode schema, String value) {
        List<String> problems = new ArrayList<>();
        switch (schema.path("type").asText()) {
            case "boolean" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    problems.add(where + ": '" + value + "' is not a boolean");
                }
            }
            case "integer" -> {
                if (!value.matches("-?[0-9]+")) {
                    problems.add(where + ": '" + value + "' is not an integer");
                }
            }
            default -> {
            }
        }
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(each -> allowed.add(each.asText()));
            if (!allowed.contains(value)) {
                problems.add(where + ": '" + value + "' is not one of " + allowed);
            }
        }
        return problems;
    }

    private void check(String where, JsonNode schema, JsonNode value, List<String> problems) {
        if (schema.has("$ref")) {
            JsonNode resolved = document.path("schemas").get(schema.get("$ref").asText());
            if (resolved == null) {
                problems.add(where + ": the document has no schema " + schema.get("$ref").asText());
                return;
            }
            check(where, resolved, value, problems);
            return;
        }
        if (value.isNull()) {
            return;
        }
        switch (schema.path("type").asText("any")) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(where + " is not an object");
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext();) {
                    Map.Entry<String, JsonNode> member = members.next();
                    JsonNode property = schema.path("properties").get(member.getKey());
                    if (property == null) {
                        problems.add(where + ": member " + member.getKey() + " is not in the schema");
                    } else {
                        check(where + "." + member.getKey(), property, member.getValue(), problems);
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + " is not an array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(where + "[" + i + "]", schema.path("items"), value.get(i), problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(where + " is not a string");
                } else {
                    problems.addAll(scalar(where, schema, value.asText()));
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(where + " is not a boolean");
                }
            }
            default -> {
            }
        }
    }
}
