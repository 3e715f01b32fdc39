package io.syncline.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.syncline.backfill.BackfillRoutes;
import io.syncline.config.SynclineConfig;
import io.syncline.idempotency.IdempotencyCleanupRoute;
import io.syncline.inbox.InboxRouteConfiguration;
import io.syncline.inbox.InboxRoutes;
import io.syncline.inbox.KafkaInboxRoutes;
import io.syncline.privacy.PrivacyRetentionRoute;
import io.syncline.privacy.erase.ErasureRoute;
import io.syncline.reconcile.ReconciliationSchedules;
import io.syncline.reconcile.WeeklySummaryRoute;
import io.syncline.rules.RepeatMarksCleanupRoute;
import io.syncline.store.StoreOutageRouteConfiguration;
import io.syncline.tombstone.TombstoneRoute;
import io.syncline.webhook.MessageIntakeRouteConfiguration;
import io.syncline.webhook.WebhookErrorRouteConfiguration;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route templates and the engine's Java routes: a {@code bean} step (or method call) that
 * names a method without its arguments ({@code method: chunks}) leaves Camel to choose among
 * every public method of that name by the message alone, and which one it tries first follows
 * reflection's order, which differs between JVM runs: a same-named overload would make a route
 * call the wrong one on some runs. So such a method must be the only public one of its name in
 * its bean; a step that gives the arguments ({@code "complete(${exchange})"}) must name the only
 * one of that name taking that many (or that many and then the exchange, which Camel binds by its
 * type). A {@code process} step needs no check: a processor has one method. Route files are the
 * integrators'; the beans they may call by method ({@code TargetMatcher}, {@code TargetWriter}) are
 * the apply template's target stages, checked here.
 */
class RouteBeanMethodsTest {

    /** A bean step: where it is, the bean, the method's name and how many arguments it gives (-1: none named). */
    private record Step(String where, String bean, String method, int arguments) {
    }

    /**
     * The engine's Java routes and route configurations, made as the application makes them
     * (with schedules and the weekly summary on, so that every route is made).
     */
    private static List<RouteBuilder> engineRoutes() {
        SynclineConfig config = config();
        return List.of(new InboxRoutes(config, new KafkaInboxRoutes(config)), new KafkaInboxRoutes(config),
                new InboxRouteConfiguration(), new IdempotencyCleanupRoute(), new RepeatMarksCleanupRoute(),
                new PrivacyRetentionRoute(), new TombstoneRoute(), new ErasureRoute(), new WebhookErrorRouteConfiguration(),
                new MessageIntakeRouteConfiguration(),
                new WeeklySummaryRoute(config, new ReconciliationSchedules(null, config, Optional.of("jdbc:postgresql://store/syncline"))),
                new BackfillRoutes(config, Optional.of("jdbc:postgresql://store/syncline")),
                new StoreOutageRouteConfiguration());
    }

    @Test
    void everyMethodARouteNamesWithoutArgumentsIsTheOnlyOneOfItsNameInItsBean() throws Exception {
        List<Step> bare = steps().stream().filter(step -> step.arguments() < 0).toList();
        assertThat(bare).as("bean steps naming a method without arguments").isNotEmpty();
        Map<String, Class<?>> beans = namedBeans();
        for (Step step : bare) {
            assertThat(candidates(beans, step).count()).as("%s: methods named %s", step.where(), step.method()).isEqualTo(1);
        }
    }

    @Test
    void everyMethodARouteCallsWithArgumentsIsTheOnlyOneOfItsNameTakingThatMany() throws Exception {
        List<Step> called = steps().stream().filter(step -> step.arguments() >= 0).toList();
        assertThat(called).as("bean steps giving arguments").isNotEmpty();
        Map<String, Class<?>> beans = namedBeans();
        for (Step step : called) {
            assertThat(candidates(beans, step).filter(method -> takes(method, step.arguments())).count())
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

    /** The methods Camel would choose among for the step: public ones of its name, inherited too. */
    private static Stream<Method> candidates(Map<String, Class<?>> beans, Step step) {
        Class<?> bean = beans.get(step.bean());
        assertThat(bean).as("%s: no @Named bean is called %s", step.where(), step.bean()).isNotNull();
        return Arrays.stream(bean.getMethods()).filter(method -> method.getName().equals(step.method())
                && !method.isSynthetic() && !method.isBridge());
    }

    @Test
    void everyJavaRouteOfTheApplicationIsChecked() throws Exception {
        assertThat(engineRoutes().stream().map(Object::getClass).map(Class::getName).sorted().toList())
                .as("RoutesBuilder classes in target/classes").isEqualTo(routeBuilderClasses());
    }

    private static List<Step> steps() throws Exception {
        List<Step> steps = new ArrayList<>();
        Path templates = Path.of("src/main/resources/route-templates");
        try (Stream<Path> files = Files.list(templates)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                collect(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), file, steps);
            }
        }
        for (RouteBuilder builder : engineRoutes()) {
            builder.setCamelContext(new DefaultCamelContext());
            String name = builder.getClass().getSimpleName();
            if (builder instanceof RouteConfigurationBuilder configurations) {
                configurations.configuration();
                for (RouteConfigurationDefinition configuration : configurations.getRouteConfigurationCollection().getRouteConfigurations()) {
                    configuration.getOnExceptions().forEach(handler -> collect(handler, name + "/" + configuration.getId(), steps));
                }
            } else {
                builder.configure();
                for (RouteDefinition route : builder.getRouteCollection().getRoutes()) {
                    collect(route, name + "/" + route.getRouteId(), steps);
                }
            }
        }
        return steps;
    }

    /** Each bean step and method-call expression of a Java route, at any depth. */
    private static void collect(ProcessorDefinition<?> node, String where, List<Step> steps) {
        if (node instanceof BeanDefinition bean) {
            steps.add(step(where, bean.getRef(), bean.getMethod()));
        }
        if (node instanceof ToDefinition to && to.getUri().startsWith("bean:") && to.getUri().contains("?method=")) {
            String uri = to.getUri().substring("bean:".length());
            steps.add(step(where, uri.substring(0, uri.indexOf('?')), uri.substring(uri.indexOf("?method=") + "?method=".length())));
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

    /** Each step with a bean reference and a method, anywhere in the route file. */
    private static void collect(JsonNode node, Path file, List<Step> steps) {
        if (node.isObject() && node.has("ref") && node.has("method")) {
            steps.add(step(file.getFileName().toString(), node.get("ref").asText(), node.get("method").asText()));
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
        Map<String, Class<?>> beans = new HashMap<>();
        for (Class<?> type : applicationClasses()) {
            Named named = type.getAnnotation(Named.class);
            if (named != null) {
                beans.put(named.value(), type);
            }
        }
        return beans;
    }

    /** The application's route builders and route configurations, by class name. */
    private static List<String> routeBuilderClasses() throws IOException, ClassNotFoundException {
        return applicationClasses().stream().filter(RoutesBuilder.class::isAssignableFrom)
                .filter(type -> !Modifier.isAbstract(type.getModifiers())).map(Class::getName).sorted().toList();
    }

    /** The application's top-level classes, from target/classes. */
    private static List<Class<?>> applicationClasses() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                types.add(Class.forName(name, false, RouteBeanMethodsTest.class.getClassLoader()));
            }
        }
        return types;
    }

    /**
     * A configuration under which every engine route is made: each setting a route reads is given
     * (schedules and the weekly summary on); what a route only passes on to its endpoints is a
     * placeholder, since no route is started.
     */
    private static SynclineConfig config() {
        return settings(SynclineConfig.class);
    }

    @SuppressWarnings("unchecked")
    private static <T> T settings(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Class<?> answer = method.getReturnType();
            if (answer == boolean.class) {
                return true;
            }
            if (answer == Optional.class) {
                return Optional.of("http://localhost/notify");
            }
            if (answer == String.class) {
                return "0 0 8 ? * MON";
            }
            if (answer == java.time.Duration.class) {
                return java.time.Duration.ofSeconds(2);
            }
            if (answer == int.class) {
                return 1;
            }
            if (answer == SynclineConfig.Inbox.InboxMode.class) {
                // the inbox in Kafka, so that its consumer route is made too
                return SynclineConfig.Inbox.InboxMode.KAFKA;
            }
            return answer.isInterface() && answer.getName().startsWith(SynclineConfig.class.getName() + "$")
                    ? settings(answer) : null;
        });
    }
}
