package io.syncline.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.syncline.idempotency.IdempotencyCleanupRoute;
import io.syncline.inbox.InboxRoutes;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route templates, route files and the engine's Java routes alike: a route's {@code bean} step that names a method without its arguments ({@code method: chunks})
 * leaves Camel to choose among every method of that name by the message alone, and which one it
 * tries first follows reflection's order, which differs between JVM runs: an overload added for a
 * test once made the dispatcher call the wrong one on some runs and apply nothing. So such a
 * method must be the only one of its name in its bean; a step that gives the arguments
 * ({@code "commit(${exchange})"}) must name the only method of that name taking that many (or
 * that many and then the exchange, which Camel binds by its type).
 */
class RouteBeanMethodsTest {

    /** The apply template's target stage parameters and the beans they stand for, one per target type. */
    private static final Map<String, List<String>> STAGE_BEANS = Map.of(
            "{{matcher}}", List.of("JdbcTargetMatcher", "HttpTargetWriter"),
            "{{writer}}", List.of("JdbcTargetWriter", "HttpTargetWriter"));

    /** A bean step: where it is, the bean, the method's name and how many arguments it gives (-1: none named). */
    private record Step(String where, String bean, String method, int arguments) {
    }

    @Test
    void everyMethodARouteNamesWithoutArgumentsIsTheOnlyOneOfItsNameInItsBean() throws Exception {
        List<Step> bare = steps().stream().filter(step -> step.arguments() < 0).toList();
        assertThat(bare).as("bean steps naming a method without arguments").isNotEmpty();
        Map<String, Class<?>> beans = namedBeans();
        for (Step step : bare) {
            assertThat(declared(beans, step).count()).as("%s: methods named %s", step.where(), step.method()).isEqualTo(1);
        }
    }

    @Test
    void everyMethodARouteCallsWithArgumentsIsTheOnlyOneOfItsNameTakingThatMany() throws Exception {
        List<Step> called = steps().stream().filter(step -> step.arguments() >= 0).toList();
        assertThat(called).as("bean steps giving arguments").isNotEmpty();
        Map<String, Class<?>> beans = namedBeans();
        for (Step step : called) {
            assertThat(declared(beans, step).filter(method -> takes(method, step.arguments())).count())
                    .as("%s: methods named %s taking %d arguments", step.where(), step.method(), step.arguments()).isEqualTo(1);
        }
    }

    @Test
    void argumentsAreCountedByTheCommasBetweenThem() {
        assertThat(arguments("()")).isZero();
        assertThat(arguments("(${body})")).isEqualTo(1);
        assertThat(arguments("('contact', 'crm, billing', ${exchange})")).isEqualTo(3);
        assertThat(arguments("(${exchange}, ${exchangeProperty.SynclineInboxRoom})")).isEqualTo(2);
        assertThat(arguments("(${bean:x?method=y(1, 2)}, 'a')")).isEqualTo(2);
    }

    /** Takes that many arguments, or those and then the exchange, which Camel binds by its type. */
    private static boolean takes(Method method, int arguments) {
        Class<?>[] types = method.getParameterTypes();
        return types.length == arguments || types.length == arguments + 1 && types[arguments] == Exchange.class;
    }

    private static Stream<Method> declared(Map<String, Class<?>> beans, Step step) {
        Class<?> bean = beans.get(step.bean());
        assertThat(bean).as("%s: no @Named bean is called %s", step.where(), step.bean()).isNotNull();
        return Arrays.stream(bean.getDeclaredMethods()).filter(method -> method.getName().equals(step.method()) && !method.isSynthetic());
    }

    private static List<Step> steps() throws Exception {
        List<Step> steps = new ArrayList<>();
        for (Path folder : routeFolders()) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                    collect(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), file, steps);
                }
            }
        }
        for (RouteBuilder builder : List.<RouteBuilder>of(new InboxRoutes(null), new IdempotencyCleanupRoute())) {
            builder.setCamelContext(new DefaultCamelContext());
            builder.configure();
            for (RouteDefinition route : builder.getRouteCollection().getRoutes()) {
                collect(route, builder.getClass().getSimpleName() + "/" + route.getRouteId(), steps);
            }
        }
        return steps;
    }

    /** Each bean step and method-call expression of a Java route, at any depth. */
    private static void collect(ProcessorDefinition<?> node, String where, List<Step> steps) {
        if (node instanceof BeanDefinition bean) {
            steps.add(step(where, bean.getRef(), bean.getMethod()));
        }
        if (node instanceof ExpressionNode expressionNode
                && expressionNode.getExpression() instanceof MethodCallExpression call) {
            steps.add(step(where, call.getRef(), call.getMethod()));
        }
        if (node instanceof ChoiceDefinition choice) {
            for (WhenDefinition when : choice.getWhenClauses()) {
                if (when.getExpression() instanceof MethodCallExpression call) {
                    steps.add(step(where, call.getRef(), call.getMethod()));
                }
                when.getOutputs().forEach(child -> collect(child, where, steps));
            }
            if (choice.getOtherwise() != null) {
                choice.getOtherwise().getOutputs().forEach(child -> collect(child, where, steps));
            }
        }
        node.getOutputs().forEach(child -> collect(child, where, steps));
    }

    private static Step step(String where, String bean, String method) {
        int open = method.indexOf('(');
        return open < 0 ? new Step(where, bean, method, -1)
                : new Step(where, bean, method.substring(0, open).trim(), arguments(method.substring(open)));
    }

    /** The packaged route templates, the shipped routes and the tests' route folders, but for the one broken on purpose. */
    private static List<Path> routeFolders() throws IOException {
        List<Path> folders = new ArrayList<>(List.of(Path.of("src/main/resources/route-templates"), Path.of("routes")));
        try (Stream<Path> test = Files.list(Path.of("src/test/resources"))) {
            test.filter(folder -> folder.getFileName().toString().endsWith("-routes"))
                    .filter(folder -> !folder.getFileName().toString().equals("broken-routes")).sorted().forEach(folders::add);
        }
        return folders;
    }

    /** Each step with a bean reference and a method, anywhere in the route file. */
    private static void collect(JsonNode node, Path file, List<Step> steps) {
        if (node.isObject() && node.has("ref") && node.has("method")) {
            String ref = node.get("ref").asText();
            // the apply template's target stages: each target type's matcher and writer
            for (String bean : STAGE_BEANS.getOrDefault(ref, List.of(ref))) {
                steps.add(step(file.getParent().getFileName() + "/" + file.getFileName(), bean, node.get("method").asText()));
            }
        }
        node.forEach(child -> collect(child, file, steps));
    }

    /** How many arguments {@code (a, 'b, c', ${x})} holds: commas outside quotes, braces and inner parentheses. */
    static int arguments(String list) {
        int depth = 0;
        int commas = 0;
        boolean quoted = false;
        boolean empty = true;
        for (char c : list.substring(1, list.lastIndexOf(')')).toCharArray()) {
            if (c == '\'' || c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                commas++;
            }
            empty &= Character.isWhitespace(c);
        }
        return empty ? 0 : commas + 1;
    }

    /** The application's {@code @Named} beans by name, from its compiled classes. */
    private static Map<String, Class<?>> namedBeans() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        Map<String, Class<?>> beans = new HashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, RouteBeanMethodsTest.class.getClassLoader());
                Named named = type.getAnnotation(Named.class);
                if (named != null) {
                    beans.put(named.value(), type);
                }
            }
        }
        return beans;
    }
}
