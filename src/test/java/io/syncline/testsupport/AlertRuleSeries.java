package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series that k8s/overlays/prod/prometheusrule.yaml names, checked against what a running
 * application exports on {@code /q/metrics}: each series by name, each label a matcher of it uses,
 * and each label an aggregation groups it by. A series exported in one inbox mode only is checked
 * by a test of that mode: {@link #KAFKA_ONLY} by a Kafka-mode test; one exported only for a
 * watched source ({@link #WATCHED_SOURCES_ONLY}) by a test whose model polls; one exported only for
 * a scheduled reconciliation ({@link #SCHEDULED_RECONCILIATIONS_ONLY}) by a test whose model
 * schedules one; one exported only for a capture ({@link #CAPTURES_ONLY}) by a test whose model
 * captures a source; every other by a
 * test of the default mode, so that each series of the rule is checked against a process that
 * exports it.
 */
public final class AlertRuleSeries {

    /** Series that only the Kafka mode ({@code syncline.inbox.mode=kafka}) exports. */
    public static final Predicate<String> KAFKA_ONLY = name -> name.startsWith("syncline_inbox_kafka_");

    /** Series exported only where the model watches a source (a poll, a webhook with {@code silentAfter}). */
    public static final Predicate<String> WATCHED_SOURCES_ONLY = name -> name.startsWith("syncline_source_");

    /** Series exported only where the model schedules a reconciliation job. */
    public static final Predicate<String> SCHEDULED_RECONCILIATIONS_ONLY = name -> name.startsWith("syncline_reconciliation_overdue");

    /** Series exported only where the model captures a source's changes, on the replica that captures. */
    public static final Predicate<String> CAPTURES_ONLY = name -> name.startsWith("syncline_capture_");

    /** Series every process of the default inbox mode exports, whatever its model. */
    public static final Predicate<String> ALWAYS = KAFKA_ONLY.negate().and(WATCHED_SOURCES_ONLY.negate())
            .and(SCHEDULED_RECONCILIATIONS_ONLY.negate()).and(CAPTURES_ONLY.negate());

    private static final Path RULE = Path.of("k8s/overlays/prod/prometheusrule.yaml");
    /** Labels Prometheus adds to every scraped series; a metric's own label of such a name becomes exported_<name>. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "service", "instance", "endpoint", "container", "job");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)(?:\\{([^}]*)\\})? ");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Pattern SERIES = Pattern.compile("\\b((?:syncline|camel)_[a-z0-9_]+)(?:\\{([^}]*)\\})?");
    private static final Pattern GROUPING = Pattern.compile("\\bby \\(([^)]*)\\)\\s*\\(([^()]*(?:\\([^()]*\\)[^()]*)*)\\)");

    private AlertRuleSeries() {
    }

    /** Every alert expression of the rule. */
    public static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        try {
            new ObjectMapper(new YAMLFactory()).readTree(RULE.toFile()).at("/spec/groups")
                    .forEach(group -> group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return expressions;
    }

    /**
     * Checks, against {@code metrics} (a {@code /q/metrics} page), every series of the rule that
     * {@code checked} accepts; returns how many series occurrences were checked.
     */
    public static int assertExported(String metrics, Predicate<String> checked) {
        Map<String, Set<String>> exported = exported(metrics);
        int seen = 0;
        for (String expression : expressions()) {
            assertThat(SERIES.matcher(expression).find()).as("a series in %s", expression).isTrue();
            Matcher named = SERIES.matcher(expression);
            while (named.find()) {
                String name = named.group(1);
                if (!checked.test(name)) {
                    continue;
                }
                seen++;
                assertThat(exported).as("series %s of alert expression %s", name, expression).containsKey(name);
                if (named.group(2) != null) {
                    for (String matcher : named.group(2).split(",")) {
                        String label = matcher.split("[=!~]")[0].trim();
                        assertThat(exported.get(name)).as("label %s of %s in %s", label, name, expression).contains(label);
                    }
                }
            }
            Matcher by = GROUPING.matcher(expression);
            while (by.find()) {
                Matcher inner = SERIES.matcher(by.group(2));
                Set<String> available = new TreeSet<>();
                boolean any = false;
                while (inner.find()) {
                    any |= checked.test(inner.group(1));
                    exported.getOrDefault(inner.group(1), Set.of())
                            .forEach(label -> available.add(TARGET_LABELS.contains(label) ? "exported_" + label : label));
                }
                if (!any) {
                    continue;
                }
                for (String label : by.group(1).split(",")) {
                    String grouped = label.trim();
                    assertThat(TARGET_LABELS.contains(grouped) && !grouped.equals("job") || available.contains(grouped))
                            .as("grouping label %s in %s (exported: %s)", grouped, expression, available).isTrue();
                }
            }
        }
        return seen;
    }

    /** The series of a {@code /q/metrics} page, each with the labels its samples carry. */
    private static Map<String, Set<String>> exported(String metrics) {
        Map<String, Set<String>> exported = new LinkedHashMap<>();
        Matcher sample = SAMPLE.matcher(metrics);
        while (sample.find()) {
            Set<String> labels = exported.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return exported;
    }
}
