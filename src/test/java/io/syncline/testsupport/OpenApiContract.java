package io.syncline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A provider's OpenAPI 3 description, checking a request against it: the method of a path the
 * description has, its path and query parameters (required ones present, values of their type
 * and within their maximum), the headers it requires ({@code x-syncline-headers}: for every
 * request, and for those that send a body), and the body against the operation's schema
 * ({@code type}, {@code required}, {@code properties}, {@code additionalProperties},
 * {@code items}, {@code enum}, {@code maxItems}, {@code maximum}, {@code anyOf}, {@code $ref}): a JSON
 * body, or a form-encoded one ({@code application/x-www-form-urlencoded}) read with its nested
 * members in brackets ({@code address[city]=…}, as Stripe's {@code deepObject} encoding), whose
 * values are text and so checked for their type as text ({@code "12"} is an integer). Enough of JSON
 * Schema for the descriptions the stubs follow; an unknown keyword is not checked.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode spec;

    private OpenApiContract(JsonNode spec) {
        this.spec = spec;
    }

    /** The description in {@code src/test/resources/contracts/<name>}. */
    public static OpenApiContract load(String name) {
        try {
            return new OpenApiContract(JSON.readTree(Files.readString(Path.of("src/test/resources/contracts", name))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with the request; empty when the description allows it. */
    public List<String> violations(String method, String path, String query, Map<String, List<String>> headers, String body) {
        List<String> problems = new ArrayList<>();
        String request = method + " " + path;
        JsonNode operation = null;
        Map<String, String> pathValues = null;
        // concrete paths before templated ones (OpenAPI 3, "Paths Object"): /persons/search before /persons/{id}
        List<Map.Entry<String, JsonNode>> candidates = new ArrayList<>();
        spec.path("paths").fields().forEachRemaining(candidates::add);
        candidates.sort(java.util.Comparator.comparing(entry -> entry.getKey().contains("{")));
        for (Iterator<Map.Entry<String, JsonNode>> paths = candidates.iterator(); paths.hasNext() && operation == null; ) {
            Map.Entry<String, JsonNode> candidate = paths.next();
            Map<String, String> values = match(candidate.getKey(), path);
            if (values != null && candidate.getValue().has(method.toLowerCase(Locale.ROOT))) {
                operation = candidate.getValue().get(method.toLowerCase(Locale.ROOT));
                pathValues = values;
            }
        }
        if (operation == null) {
            problems.add(request + ": the description has no such operation");
            return problems;
        }
        Map<String, String> queryValues = query(query);
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.path("name").asText();
            String value = "path".equals(parameter.path("in").asText()) ? pathValues.get(name) : queryValues.remove(name);
            if ("query".equals(parameter.path("in").asText()) || "path".equals(parameter.path("in").asText())) {
                if (value == null) {
                    if (parameter.path("required").asBoolean()) {
                        problems.add(request + ": required parameter " + name + " is missing");
                    }
                } else {
                    checkScalar(request + " parameter " + name, parameter.path("schema"), value, problems);
                }
            }
        }
        queryValues.keySet().forEach(name -> problems.add(request + ": query parameter " + name + " is not in the description"));
        JsonNode required = spec.path("x-syncline-headers");
        for (JsonNode header : required.path("all")) {
            checkHeader(request, header.asText(), headers, problems);
        }
        JsonNode requestBody = operation.path("requestBody");
        boolean hasBody = body != null && !body.isBlank();
        if (requestBody.isMissingNode()) {
            if (hasBody) {
                problems.add(request + ": the operation takes no body");
            }
            return problems;
        }
        if (!hasBody) {
            if (requestBody.path("required").asBoolean()) {
                problems.add(request + ": the operation requires a body");
            }
            return problems;
        }
        for (JsonNode header : required.path("withBody")) {
            checkHeader(request, header.asText(), headers, problems);
        }
        JsonNode content = requestBody.path("content");
        if (content.has("application/json")) {
            try {
                validate(request + " body", JSON.readTree(body), content.path("application/json").path("schema"), false, problems);
            } catch (IOException e) {
                problems.add(request + ": the body is not JSON: " + e.getMessage());
            }
        } else if (content.has(FORM)) {
            validate(request + " body", formTree(body), content.path(FORM).path("schema"), true, problems);
        } else {
            problems.add(request + ": the operation takes a body of " + content.fieldNames().next() + " only");
        }
        return problems;
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    /**
     * A form body as the tree it encodes: {@code a[b]=1} is {@code {"a": {"b": "1"}}}, an object whose
     * members are all indexes ({@code a[0]}, {@code a[1]}) an array; every value text.
     */
    static JsonNode formTree(String body) {
        ObjectNode root = JSON.createObjectNode();
        query(body).forEach((name, value) -> {
            List<String> steps = new ArrayList<>();
            int bracket = name.indexOf('[');
            steps.add(bracket < 0 ? name : name.substring(0, bracket));
            var inner = Pattern.compile("\\[([^\\]]*)]").matcher(bracket < 0 ? "" : name.substring(bracket));
            while (inner.find()) {
                steps.add(inner.group(1));
            }
            ObjectNode node = root;
            for (int i = 0; i < steps.size() - 1; i++) {
                node = node.get(steps.get(i)) instanceof ObjectNode child ? child : node.putObject(steps.get(i));
            }
            node.put(steps.get(steps.size() - 1), value);
        });
        return arrays(root);
    }

    private static JsonNode arrays(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        boolean indexed = object.size() > 0;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            indexed &= names.next().matches("\\d+");
        }
        if (indexed) {
            var array = JSON.createArrayNode();
            object.properties().stream().sorted(java.util.Comparator.comparingInt(member -> Integer.parseInt(member.getKey())))
                    .forEach(member -> array.add(arrays(member.getValue())));
            return array;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.forEach(name -> object.set(name, arrays(object.get(name))));
        return object;
    }

    private void validate(String at, JsonNode value, JsonNode schema, boolean form, List<String> problems) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            validate(at, value, spec.at(ref.substring(1)), form, problems);
            return;
        }
        if (schema.has("anyOf")) {
            List<String> closest = null;
            for (JsonNode branch : schema.get("anyOf")) {
                List<String> branchProblems = new ArrayList<>();
                validate(at, value, branch, form, branchProblems);
                if (branchProblems.isEmpty()) {
                    return;
                }
                if (closest == null || branchProblems.size() < closest.size()) {
                    closest = branchProblems;
                }
            }
            problems.addAll(closest == null ? List.of() : closest);
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean()) {
                problems.add(at + ": null where the description wants " + schema.path("type").asText("a value"));
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typed = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || form && value.isTextual() && value.asText().matches("-?\\d+");
            case "number" -> value.isNumber() || form && value.isTextual() && value.asText().matches("-?\\d+(\\.\\d+)?");
            case "boolean" -> value.isBoolean() || form && value.isTextual() && value.asText().matches("true|false");
            default -> true;
        };
        if (!typed) {
            problems.add(at + ": " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " where the description wants " + type);
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)
                && !(form && value.isTextual() && contains(schema.get("enum"), value.asText()))) {
            problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (schema.has("maximum") && value.isNumber() && value.asDouble() > schema.get("maximum").asDouble()) {
            problems.add(at + ": " + value + " is over the maximum " + schema.get("maximum"));
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                problems.add(at + ": " + value.size() + " items, over the maximum " + schema.get("maxItems"));
            }
            for (int i = 0; i < value.size(); i++) {
                validate(at + "[" + i + "]", value.get(i), schema.path("items"), form, problems);
            }
        }
        if (value.isObject()) {
            for (JsonNode name : schema.path("required")) {
                if (!value.has(name.asText())) {
                    problems.add(at + ": required member " + name.asText() + " is missing");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                JsonNode declared = schema.path("properties").path(member.getKey());
                if (!declared.isMissingNode()) {
                    validate(at + "." + member.getKey(), member.getValue(), declared, form, problems);
                } else if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
                    validate(at + "." + member.getKey(), member.getValue(), schema.get("additionalProperties"), form, problems);
                } else if (schema.has("properties") && !schema.path("additionalProperties").asBoolean(true)) {
                    problems.add(at + ": member " + member.getKey() + " is not in the description");
                } else if (schema.has("properties") && !schema.has("additionalProperties")) {
                    problems.add(at + ": member " + member.getKey() + " is not in the description");
                }
            }
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode each : values) {
            if (each.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a value of the enum is written as {@code text} (a form's values are all text). */
    private static boolean contains(JsonNode values, String text) {
        for (JsonNode each : values) {
            if (each.isValueNode() && each.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static void checkScalar(String at, JsonNode schema, String value, List<String> problems) {
        String type = schema.path("type").asText("");
        boolean ok = switch (type) {
            case "integer" -> value.matches("-?\\d+");
            case "boolean" -> value.equals("true") || value.equals("false");
            default -> true;
        };
        if (!ok) {
            problems.add(at + ": '" + value + "' is not of type " + type);
        } else if (schema.has("maximum") && type.equals("integer") && Long.parseLong(value) > schema.get("maximum").asLong()) {
            problems.add(at + ": " + value + " is over the maximum " + schema.get("maximum"));
        }
    }

    private static void checkHeader(String request, String expected, Map<String, List<String>> headers, List<String> problems) {
        int colon = expected.indexOf(':');
        String name = expected.substring(0, colon).strip();
        String prefix = expected.substring(colon + 1).stripLeading();
        boolean present = headers.entrySet().stream().anyMatch(header -> header.getKey().equalsIgnoreCase(name)
                && header.getValue().stream().anyMatch(value -> value.startsWith(prefix) && value.length() > prefix.length()
                || value.equals(prefix) || value.startsWith(prefix + ";")));
        if (!present) {
            problems.add(request + ": header " + name + " (" + prefix + "…) is missing");
        }
    }

    /** The path's parameter values when {@code path} fits {@code template} ({@code /a/{id}}); else null. */
    private static Map<String, String> match(String template, String path) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            if (part.startsWith("{") && part.endsWith("}")) {
                names.add(part.substring(1, part.length() - 1));
                regex.append("([^/]+)");
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        var matcher = Pattern.compile(regex.toString()).matcher(path);
        if (!matcher.matches()) {
            return null;
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                values.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
