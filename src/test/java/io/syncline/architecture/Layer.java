package io.syncline.architecture;

import java.util.List;
import java.util.Optional;

/**
 * The layers of docs/architecture.md, bottom to top, and which classes belong to each: a class may
 * use its own layer and the layers below it, never one above. The one definition both
 * {@link LayeringTest} checks (on the compiled classes, and on the sources' imports) use.
 */
enum Layer {

    /** The sync model's declarations and the exchange contract: importing nothing of Syncline. */
    MODEL(List.of("model", "exchange")),
    /** What everything stands on: settings, the state store's plumbing, the failure kinds. */
    FOUNDATION(List.of("config", "failure", "store", "text")),
    /** The real-time engine: intake, the apply stages, the stores they keep, and the compiled model. */
    ENGINE(List.of("compiled", "mapping", "matching", "conflict", "inbox", "state", "audit", "idempotency", "sync",
            "review", "deadletter", "webhook", "metrics", "tombstone", "rules", "drift", "sensitive")),
    /** How Syncline reaches a system: the connector contract and each system type's reads and writes. */
    CONNECTORS(List.of("connector")),
    /** What the model makes at start-up, and the jobs that drive the engine and the connectors. */
    WIRING(List.of("boot", "routes", "reconcile", "privacy", "status", "poll", "backfill", "capture", "links", "replay",
            "alerting", "driftfix", "plan")),
    /** The admin JSON API (the JAX-RS {@code *Resource} classes and their plumbing) and the console. */
    ADMIN(List.of("http", "console"));

    private static final String ROOT = "io.syncline.";

    /** Packages under {@code io.syncline}, each with its subpackages unless a more specific one is listed. */
    private final List<String> packages;

    Layer(List<String> packages) {
        this.packages = packages;
    }

    /**
     * The layer of a Syncline class (nested classes go with their top-level class), or empty for a
     * class outside {@code io.syncline}, or in no layer yet (a new package must be placed: see
     * {@link LayeringTest#everyPackageIsInALayer}).
     */
    static Optional<Layer> of(String className) {
        if (!className.startsWith(ROOT)) {
            return Optional.empty();
        }
        String topLevel = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        int dot = topLevel.lastIndexOf('.');
        String pkg = dot >= ROOT.length() ? topLevel.substring(ROOT.length(), dot) : "";
        String simpleName = topLevel.substring(dot + 1);
        // The JAX-RS resources live beside the services they serve, but they are the admin API.
        if (simpleName.endsWith("Resource")) {
            return Optional.of(ADMIN);
        }
        Layer found = null;
        String longest = "";
        for (Layer layer : values()) {
            for (String p : layer.packages) {
                boolean within = pkg.equals(p) || pkg.startsWith(p + ".");
                if (within && p.length() > longest.length()) {
                    found = layer;
                    longest = p;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    String title() {
        return name().charAt(0) + name().substring(1).toLowerCase();
    }
}
