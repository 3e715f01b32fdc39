package io.syncline.model;

import org.quartz.CronExpression;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What a reconciliation job needs to run: each gap is one located problem with its fix. */
public final class ReconciliationRules {

    private static final Pattern JOB_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private ReconciliationRules() {
    }

    static void check(String path, String name, ReconciliationDefinition job, SyncModel model, SystemTypeCatalog types,
            ProblemReporter problems) {
        if (!JOB_NAME.matcher(name).matches()) {
            problems.report(path, "job name '" + name + "' is not kebab-case", "use lower-case letters, digits and '-', e.g. contacts-crm-billing");
        }
        EntityDefinition entity = job.entity() == null ? null : model.entities().get(job.entity());
        if (job.entity() == null) {
            problems.report(path, "no entity", "add entity: <entity>, e.g. entity: " + first(model.entities().keySet()));
            return;
        }
        if (entity == null) {
            problems.report(path + ".entity", "unknown entity '" + job.entity() + "'", Suggestions.oneOf(job.entity(), model.entities().keySet()));
            return;
        }
        boolean sidesOk = checkSide(path + ".sideA", "sideA", job.sideA(), entity, model, types, problems)
                & checkSide(path + ".sideB", "sideB", job.sideB(), entity, model, types, problems);
        if (sidesOk && job.sideA().equals(job.sideB())) {
            problems.report(path + ".sideB", "both sides are '" + job.sideA() + "'", "reconcile two different systems");
            sidesOk = false;
        }
        if (job.schedule() != null && !CronExpression.isValidExpression(job.schedule())) {
            problems.report(path + ".schedule", "'" + job.schedule() + "' is not a Quartz cron expression",
                    "write seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 2 * * ?\" for 02:00 every day");
        }
        checkTolerance(path, job, entity, problems);
        checkRange(path + ".pageSize", job.pageSize() == null ? null : job.pageSize().doubleValue(), 1, 10_000, "page size", problems);
        checkShare(path + ".truncationThreshold", job.truncationThreshold(), "e.g. truncationThreshold: 0.8", problems);
        checkShare(path + ".qualityThreshold", job.qualityThreshold(), "e.g. qualityThreshold: 0.98", problems);
        if (sidesOk && job.strategy() == ReconciliationDefinition.Strategy.BISECTION) {
            checkBisection(path + ".strategy", job, model, types, problems);
        }
        if (job.checksums() == ReconciliationDefinition.Checksums.MAINTAINED && job.strategy() != ReconciliationDefinition.Strategy.BISECTION) {
            problems.report(path + ".checksums", "maintained checksums serve checksum bisection, but this job pulls in full",
                    "add strategy: bisection, or remove checksums: maintained");
        }
        if (sidesOk) {
            Set<String> common = commonFields(entity, job.sideA(), job.sideB());
            checkFields(path + ".compare", job.compare(), common, problems);
            checkFields(path + ".qualityFields", job.qualityFields(), common, problems);
            checkExpectations(path + ".expect", job, common, problems);
            checkNumericTolerances(path + ".numericTolerances", job, entity, common, problems);
            checkResponses(path, job, entity, problems);
        }
    }

    /** Each tolerance on a compared field of type decimal or integer, and not negative. */
    private static void checkNumericTolerances(String at, ReconciliationDefinition job, EntityDefinition entity, Set<String> common,
            ProblemReporter problems) {
        job.numericTolerances().forEach((field, tolerance) -> {
            CanonicalField declared = entity.fields().get(field);
            if (!common.contains(field) || (!job.compare().isEmpty() && !job.compare().contains(field))) {
                problems.report(at + "." + field, "'" + field + "' is not a field this job compares",
                        Suggestions.oneOf(field, job.compare().isEmpty() ? common : job.compare()));
            } else if (declared == null || (declared.type() != CanonicalField.Type.DECIMAL
                    && declared.type() != CanonicalField.Type.INTEGER)) {
                problems.report(at + "." + field, "'" + field + "' is no number (its type is "
                        + (declared == null ? "none" : declared.type().name().toLowerCase(java.util.Locale.ROOT)) + ")",
                        "give tolerances to decimal or integer fields only");
            } else if (tolerance == null || tolerance.signum() < 0) {
                problems.report(at + "." + field, "a tolerance must be a number of zero or more", "e.g. " + field + ": 0.01");
            }
        });
    }

    /** Canonical fields a system's contract reads (system to canonical). */
    public static Set<String> readFields(EntityDefinition entity, String system) {
        Set<String> fields = new LinkedHashSet<>();
        SystemMapping mapping = entity.mappings().get(system);
        if (mapping != null) {
            mapping.fields().stream().filter(field -> field.field() != null && field.direction().reads())
                    .forEach(field -> fields.add(field.field()));
        }
        return fields;
    }

    /** Fields both systems read: what can be compared. */
    public static Set<String> commonFields(EntityDefinition entity, String a, String b) {
        Set<String> common = readFields(entity, a);
        common.retainAll(readFields(entity, b));
        return common;
    }

    /** The timestamp field giving a record's age: the declared one, else the entity's only timestamp field, else null. */
    public static String timestampField(ReconciliationDefinition job, EntityDefinition entity) {
        if (job.timestampField() != null) {
            return job.timestampField();
        }
        List<String> timestamps = entity.fields().entrySet().stream()
                .filter(field -> field.getValue() != null && field.getValue().type() == CanonicalField.Type.TIMESTAMP)
                .map(java.util.Map.Entry::getKey).toList();
        return timestamps.size() == 1 ? timestamps.get(0) : null;
    }

    private static boolean checkSide(String at, String key, String system, EntityDefinition entity, SyncModel model,
            SystemTypeCatalog types,
            ProblemReporter problems) {
        if (system == null) {
            problems.report(at.substring(0, at.lastIndexOf('.')), "no " + key, "add " + key + ": <system>, one of " + entity.mappings().keySet());
            return false;
        }
        SystemDefinition definition = model.systems().get(system);
        if (definition == null) {
            problems.report(at, "unknown system '" + system + "'", Suggestions.oneOf(system, model.systems().keySet()));
            return false;
        }
        SystemMapping mapping = entity.mappings().get(system);
        if (mapping == null) {
            problems.report(at, "entity has no mapping for system '" + system + "'",
                    "add entities.<entity>.mappings." + system + " or reconcile one of " + entity.mappings().keySet());
            return false;
        }
        // what a pull of the mapping needs (a table, a resource and pagination, an object) is its type's to say
        return definition.type() == null || types.rulesOf(definition.type()).validatePull(at, system, mapping, definition, problems);
    }

    /** Checksums are computed inside the two databases: only a pair of JDBC systems has them. */
    private static void checkBisection(String at, ReconciliationDefinition job, SyncModel model, SystemTypeCatalog types,
            ProblemReporter problems) {
        for (String system : List.of(job.sideA(), job.sideB())) {
            SystemDefinition definition = model.systems().get(system);
            if (definition.type() == null || !types.rulesOf(definition.type()).checksums()) {
                problems.report(at, "bisection compares checksums computed inside both databases, but '" + system
                        + "' is not a jdbc system", "use strategy: full (the default) for this pair");
                return;
            }
        }
    }

    private static void checkTolerance(String path, ReconciliationDefinition job, EntityDefinition entity,
            ProblemReporter problems) {
        Duration tolerance;
        try {
            tolerance = Durations.parse(job.toleranceOrDefault());
        } catch (IllegalArgumentException e) {
            problems.report(path + ".tolerance", e.getMessage(), "e.g. tolerance: 1h");
            return;
        }
        if (tolerance.isNegative()) {
            problems.report(path + ".tolerance", "tolerance is negative", "write 0s to report every difference, or e.g. 1h");
        }
        String field = timestampField(job, entity);
        if (job.timestampField() != null) {
            CanonicalField declared = entity.fields().get(field);
            if (declared == null || declared.type() != CanonicalField.Type.TIMESTAMP) {
                problems.report(path + ".timestampField", "'" + field + "' is not a timestamp field of " + job.entity(),
                        Suggestions.oneOf(field, entity.fields().keySet()));
            }
        } else if (field == null && !tolerance.isZero()) {
            problems.report(path, "no timestamp field to measure the tolerance window by",
                    "name the canonical timestamp field with timestampField: <field>, or write tolerance: 0s");
        }
    }

    private static void checkResponses(String path, ReconciliationDefinition job, EntityDefinition entity,
            ProblemReporter problems) {
        var responses = job.responses();
        String masterBucket = entity.master() == null ? null
                : entity.master().equals(job.sideA()) ? "onlyInA" : entity.master().equals(job.sideB()) ? "onlyInB" : null;
        boolean anyFix = false;
        for (var bucket : List.of(java.util.Map.entry("onlyInA", responses.onlyInA()),
                java.util.Map.entry("onlyInB", responses.onlyInB()), java.util.Map.entry("mismatched", responses.mismatched()))) {
            if (bucket.getValue() != ReconciliationDefinition.Response.AUTO_FIX) {
                continue;
            }
            anyFix = true;
            if (!bucket.getKey().equals(masterBucket)) {
                problems.report(path + ".responses." + bucket.getKey(), "auto-fix is only for records the master ("
                        + entity.master() + ") has and the other side lacks",
                        masterBucket == null ? "the master is neither side: use report or quarantine"
                                : "use report or quarantine here; auto-fix belongs to " + masterBucket);
            }
        }
        if (anyFix && job.fixEndpoint() != null && !job.fixEndpoint().startsWith("direct:")) {
            problems.report(path + ".fixEndpoint", "auto-fix needs the apply route that writes the subscriber",
                    "name a direct: endpoint, or leave fixEndpoint out for the model's own route");
        } else if (anyFix && job.fixEndpoint() == null && masterBucket != null) {
            String subscriber = entity.master().equals(job.sideA()) ? job.sideB() : job.sideA();
            SystemMapping written = entity.mappings().get(subscriber);
            if (written == null || !written.writes()) {
                problems.report(path, "auto-fix writes " + subscriber + " through the model's apply route, but "
                        + subscriber + " has no mapping of " + job.entity() + " with fields to write",
                        "map the fields " + subscriber + " is written, or name a fixEndpoint route");
            }
        }
    }

    /** Each expectation says why, names a bucket if any, and tests fields the job compares (only those are read). */
    private static void checkExpectations(String path, ReconciliationDefinition job, Set<String> common,
            ProblemReporter problems) {
        Set<String> compared = job.compare().isEmpty() ? common : new LinkedHashSet<>(job.compare());
        for (int i = 0; i < job.expect().size(); i++) {
            ReconciliationDefinition.Expectation expectation = job.expect().get(i);
            String at = path + "[" + i + "]";
            if (expectation.reason() == null || expectation.reason().isBlank()) {
                problems.report(at + ".reason", "no reason", "say why these differences are expected, e.g."
                        + " reason: \"billing takes paying customers only\"");
            }
            if (expectation.bucket() != null && !ReconciliationDefinition.Expectation.BUCKETS.contains(expectation.bucket())) {
                problems.report(at + ".bucket", "unknown bucket '" + expectation.bucket() + "'",
                        Suggestions.oneOf(expectation.bucket(), ReconciliationDefinition.Expectation.BUCKETS));
            }
            if (expectation.where().isEmpty()) {
                problems.report(at + ".where", "no field to recognise the expected records by",
                        "add where: {<field>: <value>} with a field the job compares, e.g. where: {status: prospect}");
            }
            for (String field : expectation.where().keySet()) {
                if (!compared.contains(field)) {
                    problems.report(at + ".where." + field, "'" + field + "' is not a field the job compares",
                            Suggestions.oneOf(field, compared));
                }
            }
        }
    }

    private static void checkFields(String at, List<String> fields, Set<String> common, ProblemReporter problems) {
        for (String field : fields) {
            if (!common.contains(field)) {
                problems.report(at, "'" + field + "' is not read by both sides", Suggestions.oneOf(field, common));
            }
        }
    }

    private static void checkRange(String at, Double value, double min, double max, String what, ProblemReporter problems) {
        if (value != null && (value < min || value > max)) {
            problems.report(at, what + " " + value.longValue() + " is out of range", "use " + (long) min + " to " + (long) max);
        }
    }

    private static void checkShare(String at, Double value, String example, ProblemReporter problems) {
        if (value != null && (value <= 0.0 || value > 1.0)) {
            problems.report(at, value + " is not a share", "use a number above 0.0 and at most 1.0, " + example);
        }
    }

    private static String first(Set<String> names) {
        return names.isEmpty() ? "contact" : names.iterator().next();
    }
}
