package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerts of the PrometheusRule that {@code k8s/overlays/prod} deploys, evaluated by
 * Prometheus's own {@code promtool test rules} against the series written in
 * {@code src/test/resources/alerts/syncline-alerts.test.yaml}: each alert fires on the series that
 * should fire it, with its labels and its annotations as rendered, and not on the others. The rule
 * groups are taken out of the rendered PrometheusRule into a rules file next to the cases.
 *
 * <p>Each alert's expression is then swapped for one that never fires and for one that always
 * fires: either must fail the cases, so every alert has a case of each kind that can fail. One
 * promtool run tests every mutant.
 * {@code promtool} is Debian's {@code prometheus} package's (bin/test installs it), or
 * {@code SYNCLINE_TEST_PROMTOOL}.
 */
class PrometheusRuleAlertsTest {

    private static final Path CASES = Path.of("src", "test", "resources", "alerts", "syncline-alerts.test.yaml");
    private static final Path WORK = Path.of("target", "prometheus-rules");
    private static final String RULES_FILE = "syncline.rules.yaml";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final long PROMTOOL_TIMEOUT_SECONDS = 60;

    private record Run(int exit, String output) {
    }

    @Test
    void everyAlertFiresOnTheSeriesThatShouldFireItAndOnNoOther() throws Exception {
        Run run = promtool(Map.of("shipped", new Mutant(groups(), cases()))).get("shipped");
        assertThat(run.exit()).as("promtool test rules %s:%n%s", CASES, run.output()).isZero();
    }

    static List<String> alerts() {
        List<String> alerts = new ArrayList<>();
        groups().forEach(group -> group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText())));
        assertThat(alerts).isNotEmpty().doesNotContain("");
        return alerts;
    }

    /**
     * Each mutant is tested on the cases of its own alert alone (the groups whose alert tests name
     * it): the other alerts' cases cannot fail on it, and leaving them out keeps promtool's work
     * to twice the cases rather than twice per alert. One promtool run tests every mutant.
     */
    @Test
    void anAlertThatNeverOrAlwaysFiresFailsItsCases() throws Exception {
        Map<String, String> alertOf = new LinkedHashMap<>();
        Map<String, Mutant> mutants = new LinkedHashMap<>();
        for (String alert : alerts()) {
            for (Map.Entry<String, String> mutation : Map.of("never", "vector(0) > 1", "always", "vector(1)").entrySet()) {
                JsonNode groups = groups();
                groups.forEach(group -> group.path("rules").forEach(rule -> {
                    if (rule.path("alert").asText().equals(alert)) {
                        ((ObjectNode) rule).put("expr", mutation.getValue());
                    }
                }));
                String name = alert + "-" + mutation.getKey();
                alertOf.put(name, alert);
                mutants.put(name, new Mutant(groups, casesOf(alert)));
            }
        }
        Map<String, Run> runs = promtool(mutants);
        assertThat(runs.keySet()).as("mutants promtool reported on").containsExactlyInAnyOrderElementsOf(mutants.keySet());
        SoftAssertions softly = new SoftAssertions();
        runs.forEach((name, run) -> {
            softly.assertThat(run.exit()).as("%s: the cases must fail%n%s", name, run.output()).isNotZero();
            softly.assertThat(run.output()).as(name).contains("alertname: " + alertOf.get(name));
        });
        softly.assertAll();
    }

    /** Rule groups and the cases promtool tests them on. */
    private record Mutant(JsonNode groups, JsonNode cases) {
    }

    private static JsonNode cases() {
        try {
            return YAML.readTree(CASES.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cases with only the test groups that test {@code alert}. */
    private static JsonNode casesOf(String alert) {
        ObjectNode cases = (ObjectNode) cases();
        ArrayNode tests = cases.putArray("tests");
        cases().path("tests").forEach(test -> {
            boolean testsAlert = false;
            for (JsonNode alertTest : test.path("alert_rule_test")) {
                testsAlert |= alert.equals(alertTest.path("alertname").asText());
            }
            if (testsAlert) {
                tests.add(test);
            }
        });
        assertThat(tests).as("cases testing %s", alert).isNotEmpty();
        return cases;
    }

    /** The rule groups of the PrometheusRule as the prod overlay renders it. */
    private static JsonNode groups() {
        return KubernetesManifestsTest.render("prod").stream()
                .filter(object -> object.path("kind").asText().equals("PrometheusRule"))
                .findFirst().orElseThrow(() -> new AssertionError("k8s/overlays/prod renders no PrometheusRule"))
                .path("spec").path("groups").deepCopy();
    }

    /**
     * {@code promtool test rules}, once for each named set of rule groups and its cases, in one
     * bounded run: each set's rules file and cases in a folder of its own (a cases file names its
     * rules file relative to itself). Each set's outcome is its section of the
     * output: 0 where it passed, 1 where it did not.
     */
    private static Map<String, Run> promtool(Map<String, Mutant> sets) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(promtoolBinary(), "test", "rules"));
        Map<String, String> nameOfCases = new LinkedHashMap<>();
        for (Map.Entry<String, Mutant> set : sets.entrySet()) {
            Path folder = Files.createDirectories(WORK.resolve(set.getKey()));
            ObjectNode rules = YAML.createObjectNode();
            rules.set("groups", set.getValue().groups());
            YAML.writeValue(folder.resolve(RULES_FILE).toFile(), rules);
            YAML.writeValue(folder.resolve(CASES.getFileName()).toFile(), set.getValue().cases());
            String cases = set.getKey() + "/" + CASES.getFileName();
            arguments.add(cases);
            nameOfCases.put(cases, set.getKey());
        }
        Path output = WORK.resolve("promtool.out");
        Process process;
        try {
            process = new ProcessBuilder(arguments).directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(promtoolBinary() + " cannot run: install Debian's prometheus package"
                    + " (bin/test does), or set SYNCLINE_TEST_PROMTOOL", e);
        }
        if (!process.waitFor(PROMTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool took more than " + PROMTOOL_TIMEOUT_SECONDS + " s");
        }
        String text = Files.readString(output);
        Map<String, Run> runs = new LinkedHashMap<>();
        for (String section : text.split("(?m)^(?=Unit Testing: )")) {
            String[] lines = section.split("\\R", 2);
            String name = nameOfCases.get(lines[0].replaceFirst("^Unit Testing:\\s+", "").trim());
            if (name != null) {
                boolean passed = section.contains("SUCCESS") && !section.contains("FAILED");
                runs.put(name, new Run(passed ? 0 : 1, section));
            }
        }
        if (runs.size() < sets.size() && process.exitValue() != 0) {
            throw new AssertionError("promtool failed before testing every rules file (exit "
                    + process.exitValue() + "):\n" + text);
        }
        return runs;
    }

    private static String promtoolBinary() {
        String given = System.getenv("SYNCLINE_TEST_PROMTOOL");
        return given == null || given.isBlank() ? "/usr/bin/promtool" : given;
    }
}
