package io.syncline.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A provider's OpenAPI description, checking the requests a stub received against it with Atlassian's
 * swagger-request-validator (docs/adr/0016): the operation (path and method), its path, query and
 * header parameters, and the body against the operation's schema, required members included. What
 * the validator says of a request is returned as it says it, prefixed with the request and the file
 * it was checked against ({@link #used()}).
 *
 * <p>A form body is checked as the JSON tree it encodes ({@link FormBodies}), against the operation's
 * form schema, which the description is given to accept as JSON as well.
 *
 * <p>Security requirements are not checked here: each preset test asserts the credentials its
 * provider takes (a bearer token, an API token header) itself, as the descriptions name them in
 * ways a stub cannot satisfy (OAuth flows, several alternative schemes).
 */
public final class ApiDescription {

    /** The most characters of YAML a description may have: the largest committed one is 3.4 MB. */
    private static final int MAX_YAML_CODE_POINTS = 16 * 1024 * 1024;

    private final String name;
    private final boolean whole;
    private final FormBodies forms;
    private final OpenApiInteractionValidator validator;

    private ApiDescription(String name, boolean whole, FormBodies forms, OpenApiInteractionValidator validator) {
        this.name = name;
        this.whole = whole;
        this.forms = forms;
        this.validator = validator;
    }

    /**
     * The provider's description pinned as {@code name} in {@link PublishedDescriptions}: the whole
     * published file where it is placed or committed, else the excerpt of it kept in this repository.
     */
    public static ApiDescription published(String name) {
        return published(name, PublishedDescriptions.pin(name).excerpt());
    }

    /** As {@link #published(String)}, else the excerpt {@code excerpt} of it (one part of a large API). */
    public static ApiDescription published(String name, String excerpt) {
        PublishedDescriptions.Located located = PublishedDescriptions.locate(name, excerpt);
        return of(located.label(), located.whole(), located.file(), false);
    }

    /**
     * As {@link #published(String)}, for a description that composes its request bodies with
     * {@code allOf} (Asana's {@code TaskCreateRequest}: {@code TaskRequestBase} and the create-only
     * members): each composition merged into one schema before the check, as the validator's README
     * advises, since it checks each {@code allOf} member on its own and so refuses every member the
     * other declares.
     */
    public static ApiDescription publishedMergingAllOf(String name) {
        PublishedDescriptions.Located located = PublishedDescriptions.locate(name);
        return of(located.label(), located.whole(), located.file(), true);
    }

    /** A description kept in this repository under {@code src/test/resources/contracts}. */
    public static ApiDescription kept(String name) {
        return of(name, false, PublishedDescriptions.EXCERPTS.resolve(name), false);
    }

    /** Which file the requests are checked against, and whether it is a whole published description or an excerpt. */
    public String used() {
        return name;
    }

    /** Whether the requests are checked against a provider's whole published description. */
    public boolean whole() {
        return whole;
    }

    @Override
    public String toString() {
        return name;
    }

    private static ApiDescription of(String name, boolean whole, Path file, boolean mergeAllOf) {
        // a whole published description may be larger than the parser's default limit of 3 MB of YAML
        // (Okta's Management API is 3.4 MB); the limit guards against hostile input, not these files
        io.swagger.v3.parser.util.DeserializationUtils.getOptions().setMaxYamlCodePoints(MAX_YAML_CODE_POINTS);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(mergeAllOf);
        options.setResolveCombinators(mergeAllOf);
        // OpenAPIParser reads Swagger 2.0 (Amazon's Selling Partner API models) as well as OpenAPI 3, converting the former
        OpenAPI api = Objects.requireNonNull(new OpenAPIParser()
                .readLocation(file.toAbsolutePath().toUri().toString(), null, options).getOpenAPI(), name);
        api.getPaths().values().forEach(path -> path.readOperations().forEach(ApiDescription::formsAsJson));
        OpenApiInteractionValidator validator = OpenApiInteractionValidator
                .createFor(api)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                        .build())
                .build();
        return new ApiDescription(name, whole, new FormBodies(api), validator);
    }

    /** What the description's validator finds wrong with the request; empty when it allows it. */
    public List<String> violations(String method, String path, String query, Map<String, List<String>> headers, String body) {
        boolean form = body != null && !body.isBlank() && headers.entrySet().stream()
                .anyMatch(header -> header.getKey().equalsIgnoreCase("Content-Type")
                        && header.getValue().stream().anyMatch(value -> value.startsWith(FormBodies.FORM)));
        Optional<String> tree = form ? forms.asJson(method, path, body) : Optional.empty();
        ValidationReport report = validator.validateRequest(tree.isPresent()
                ? request(method, path, query, asJson(headers), tree.get())
                : request(method, path, query, headers, body));
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .map(message -> method + " " + path + " (" + name + ") " + message.getKey()
                        + message.getContext().flatMap(ValidationReport.MessageContext::getParameter)
                                .map(parameter -> " [" + parameter.getIn() + " " + parameter.getName() + "]").orElse("")
                        + ": " + message.getMessage()
                        + message.getAdditionalInfo().stream().map(info -> "; " + info).collect(Collectors.joining()))
                .toList();
    }

    /** {@link #violations} of each request a stub received. */
    public List<String> violations(List<HubSpotStub.Received> received) {
        return received.stream()
                .flatMap(request -> violations(request.method(), request.path(), request.query(), request.headers(),
                        request.body()).stream())
                .toList();
    }

    /** The operation's form body accepted as JSON too, so that a form is checked as the tree it encodes. */
    private static void formsAsJson(Operation operation) {
        Content content = operation.getRequestBody() == null ? null : operation.getRequestBody().getContent();
        if (content != null && content.containsKey(FormBodies.FORM) && !content.containsKey("application/json")) {
            content.addMediaType("application/json", new MediaType().schema(content.get(FormBodies.FORM).getSchema()));
        }
    }

    private static Request request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(method, path);
        headers.forEach((header, values) -> builder.withHeader(header, values));
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                builder.withQueryParam(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        if (body != null && !body.isBlank()) {
            builder.withBody(body);
        }
        return builder.build();
    }

    private static Map<String, List<String>> asJson(Map<String, List<String>> headers) {
        Map<String, List<String>> json = new LinkedHashMap<>(headers);
        json.keySet().removeIf(header -> header.equalsIgnoreCase("Content-Type"));
        json.put("Content-Type", List.of("application/json"));
        return json;
    }
}
