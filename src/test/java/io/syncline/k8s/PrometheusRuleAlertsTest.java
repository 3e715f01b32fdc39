package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
 * fires: either must fail the cases, so every alert has a case of each kind that can fail.
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
        Run run = promtool(groups());
        assertThat(run.exit()).as("promtool test rules %s:%n%s", CASES, run.output()).isZero();
    }

    static List<String> alerts() {
        List<String> alerts = new ArrayList<>();
        groups().forEach(group -> group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText())));
        assertThat(alerts).isNotEmpty().doesNotContain("");
        return alerts;
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void anAlertThatNeverOrAlwaysFiresFailsItsCases(String alert) throws Exception {
        for (String expression : List.of("vector(0) > 1", "vector(1)")) {
            JsonNode groups = groups();
            groups.forEach(group -> group.path("rules").forEach(rule -> {
                if (rule.path("alert").asText().equals(alert)) {
                    ((ObjectNode) rule).put("expr", expression);
                }
            }));
            Run run = promtool(groups);
            assertThat(run.exit()).as("%s with expr %s: the cases must fail%n%s", alert, expression, run.output())
                    .isNotZero();
            assertThat(run.output()).as("%s with expr %s", alert, expression).contains("alertname: " + alert);
        }
    }

    /** The rule groups of the PrometheusRule as the prod overlay renders it. */
    private static JsonNode groups() {
        return KubernetesManifestsTest.render("prod").stream()
                .filter(object -> object.path("kind").asText().equals("PrometheusRule"))
                .findFirst().orElseThrow(() -> new AssertionError("k8s/overlays/prod renders no PrometheusRule"))
                .path("spec").path("groups").deepCopy();
    }

    /** {@code promtool test rules} on the cases, with {@code groups} as their rules file; bounded. */
    private static Run promtool(JsonNode groups) throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        ObjectNode rules = YAML.createObjectNode();
        rules.set("groups", groups);
        YAML.writeValue(WORK.resolve(RULES_FILE).toFile(), rules);
        Path cases = Files.copy(CASES, WORK.resolve(CASES.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path output = WORK.resolve("promtool.out");
        Process process;
        try {
            process = new ProcessBuilder(promtoolBinary(), "test", "rules", cases.getFileName().toString())
                    .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(promtoolBinary() + " cannot run: install Debian's prometheus package"
                    + " (bin/test does), or set SYNCLINE_TEST_PROMTOOL", e);
        }
        if (!process.waitFor(PROMTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool took more than " + PROMTOOL_TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    private static String promtoolBinary() {
        String given = System.getenv("SYNCLINE_TEST_PROMTOOL");
        return given == null || given.isBlank() ? "/usr/bin/promtool" : given;
    }
}
