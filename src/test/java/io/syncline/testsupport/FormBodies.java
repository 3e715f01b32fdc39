package io.syncline.testsupport;

import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Form bodies ({@code application/x-www-form-urlencoded}) as the JSON trees they encode, for
 * {@link ApiDescription}. The validator reads a form's members flat and guesses their types, which
 * misses what a description encodes as {@code deepObject} ({@code address[city]=Lyon}, as Stripe's
 * are) and takes a string of digits (a phone, a postal code) for a number. Here a form is read as
 * the tree it encodes ({@code {"address": {"city": "Lyon"}}}), every value text unless the schema at
 * its place wants a number or a boolean and the text is one.
 */
final class FormBodies {

    static final String FORM = "application/x-www-form-urlencoded";
    private static final Pattern BRACKETS = Pattern.compile("\\[([^\\]]*)]");

    private final OpenAPI api;
    private final ApiOperationResolver operations;

    FormBodies(OpenAPI api) {
        this.api = api;
        this.operations = new ApiOperationResolver(api, null, false);
    }

    /** The form body as the JSON tree it encodes, typed by the operation's form schema; empty when the operation takes no form. */
    Optional<String> asJson(String method, String path, String body) {
        ApiOperationMatch match = operations.findApiOperation(path, Request.Method.valueOf(method));
        Operation operation = match.isOperationAllowed() ? match.getApiOperation().getOperation() : null;
        Schema<?> schema = operation == null || operation.getRequestBody() == null ? null
                : operation.getRequestBody().getContent().get(FORM) == null ? null
                : operation.getRequestBody().getContent().get(FORM).getSchema();
        return schema == null ? Optional.empty() : Optional.of(typed(tree(body), schema).toString());
    }

    /**
     * The tree a form's members encode, every value text: {@code a[b]} a member of {@code a}, and an
     * object whose members are all indexes ({@code a[0]}, {@code a[1]}) an array.
     */
    private static JsonNode tree(String body) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            int bracket = name.indexOf('[');
            List<String> steps = new ArrayList<>(List.of(bracket < 0 ? name : name.substring(0, bracket)));
            Matcher inner = BRACKETS.matcher(bracket < 0 ? "" : name.substring(bracket));
            while (inner.find()) {
                steps.add(inner.group(1));
            }
            ObjectNode node = root;
            for (String step : steps.subList(0, steps.size() - 1)) {
                node = node.get(step) instanceof ObjectNode child ? child : node.putObject(step);
            }
            node.put(steps.get(steps.size() - 1), value);
        }
        return arrays(root);
    }

    private static JsonNode arrays(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        if (!names.isEmpty() && names.stream().allMatch(name -> name.matches("\\d+"))) {
            var array = JsonNodeFactory.instance.arrayNode();
            names.stream().sorted(Comparator.comparingInt(Integer::parseInt))
                    .forEach(index -> array.add(arrays(object.get(index))));
            return array;
        }
        names.forEach(name -> object.set(name, arrays(object.get(name))));
        return object;
    }

    /** The form's text as the schema at its place wants it: a number or boolean where it wants one and the text is one. */
    private JsonNode typed(JsonNode value, Schema<?> schema) {
        List<Schema<?>> choices = choices(schema).toList();
        if (value instanceof ObjectNode object) {
            Schema<?> shape = choices.stream().filter(choice -> choice.getProperties() != null).findFirst().orElse(null);
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String member : names) {
                Schema<?> declared = shape == null ? null : shape.getProperties().get(member);
                if (declared == null) {
                    declared = choices.stream().map(Schema::getAdditionalProperties).filter(Schema.class::isInstance)
                            .map(additional -> (Schema<?>) additional).findFirst().orElse(null);
                }
                object.set(member, typed(object.get(member), declared));
            }
            return object;
        }
        if (value.isArray()) {
            Schema<?> items = choices.stream().map(Schema::getItems).filter(Objects::nonNull).findFirst().orElse(null);
            var array = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> array.add(typed(item, items)));
            return array;
        }
        Set<String> types = new HashSet<>();
        choices.forEach(choice -> types.add(String.valueOf(choice.getType())));
        String text = value.asText();
        if (types.contains("string")) {
            return value;
        }
        if (types.contains("integer") && text.matches("-?\\d+")) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
        }
        if (types.contains("number") && text.matches("-?\\d+(\\.\\d+)?")) {
            return JsonNodeFactory.instance.numberNode(new BigDecimal(text));
        }
        if (types.contains("boolean") && text.matches("true|false")) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(text));
        }
        return value;
    }

    /** The schema, its reference followed, and the branches of its anyOf, oneOf and allOf. */
    private Stream<Schema<?>> choices(Schema<?> schema) {
        if (schema == null) {
            return Stream.empty();
        }
        if (schema.get$ref() != null) {
            String ref = schema.get$ref();
            return choices(api.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        Stream<Schema<?>> branches = Stream.of(schema.getAnyOf(), schema.getOneOf(), schema.getAllOf())
                .filter(Objects::nonNull).flatMap(List::stream).map(branch -> (Schema<?>) branch).flatMap(this::choices);
        return Stream.concat(Stream.of(schema), branches);
    }
}
