package io.syncline.connector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.connector.spi.SystemType;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The check of every system of the running model before its first event (docs/reference/check.md):
 * each system's type checks its own ({@link SystemType#check}), all systems at once, each within
 * {@code syncline.check.timeout}; a system whose check has not ended by then is reported failed.
 */
@ApplicationScoped
public class SystemChecks {

    private final SyncModelRegistry registry;
    private final SystemTypes types;
    private final Duration timeout;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "syncline-system-check");
        thread.setDaemon(true);
        return thread;
    });

    public SystemChecks(SyncModelRegistry registry, SystemTypes types, SynclineConfig config) {
        this.registry = registry;
        this.types = types;
        this.timeout = config.check().timeout();
    }

    /** One system's check: its name and type, PASSED or FAILED, and each step. */
    @RegisterForReflection
    public record SystemReport(String system, String type, String status, List<SystemCheck> checks) {

        public List<SystemCheck> problems() {
            return checks.stream().filter(SystemCheck::failed).toList();
        }
    }

    /** Every system's check, in name order; {@code passed} when none failed. */
    @RegisterForReflection
    public record Report(boolean passed, Instant checkedAt, List<SystemReport> systems) {

        /**
         * The report for a terminal: each system's status and steps, each failure's fix under it, and
         * last a line that starts with {@code PASSED} or {@code FAILED} ({@code bin/syncline check}).
         */
        public String text() {
            StringBuilder text = new StringBuilder("Syncline check of " + systems.size() + " systems at " + checkedAt + "\n");
            List<String> failed = new ArrayList<>();
            for (SystemReport system : systems) {
                text.append('\n').append(system.system()).append(" (").append(system.type()).append("): ").append(system.status()).append('\n');
                for (SystemCheck check : system.checks()) {
                    String mark = switch (check.outcome()) {
                        case PASSED -> "ok  ";
                        case FAILED -> "FAIL";
                        case NOT_CHECKED -> "--  ";
                    };
                    text.append("  ").append(mark).append("  ").append(check.check()).append(": ").append(check.detail()).append('\n');
                    if (check.fix() != null) {
                        text.append("        fix: ").append(check.fix()).append('\n');
                    }
                }
                if (system.status().equals("FAILED")) {
                    failed.add(system.system());
                }
            }
            text.append('\n').append(failed.isEmpty() ? "PASSED: all " + systems.size() + " systems"
                    : "FAILED: " + failed.size() + " of " + systems.size() + " systems (" + String.join(", ", failed) + ")").append('\n');
            return text.toString();
        }
    }

    /** Checks every system of the model in force. */
    public Report run() {
        SyncModel model = registry.current().model();
        Map<String, Future<List<SystemCheck>>> running = new LinkedHashMap<>();
        new TreeMap<>(model.systems()).forEach((system, definition) -> running.put(system,
                threads.submit(() -> check(system, definition, model))));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SystemReport> reports = new ArrayList<>();
        running.forEach((system, future) -> {
            List<SystemCheck> checks = outcome(system, future, deadline);
            boolean failed = checks.stream().anyMatch(SystemCheck::failed);
            reports.add(new SystemReport(system, model.systems().get(system).type(), failed ? "FAILED" : "PASSED", checks));
        });
        return new Report(reports.stream().allMatch(report -> report.status().equals("PASSED")), Instant.now(), reports);
    }

    private List<SystemCheck> check(String system, SystemDefinition definition, SyncModel model) {
        SystemType type;
        try {
            type = types.typeOf(system, definition);
        } catch (IllegalArgumentException e) {
            return List.of(SystemCheck.failed("type", e.getMessage(), "declare a type the application has"));
        }
        return type.check(system, model, timeout);
    }

    private List<SystemCheck> outcome(String system, Future<List<SystemCheck>> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return List.of(SystemCheck.failed("reachable", "the check did not end within " + timeout.toSeconds() + " s",
                    "make sure " + system + " answers from this deployment (network, firewall, address), or raise syncline.check.timeout"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return List.of(SystemCheck.failed("check", cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    "see the cause above; the system's settings in the model name what it uses"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(SystemCheck.failed("check", "interrupted", "run the check again"));
        }
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }
}
