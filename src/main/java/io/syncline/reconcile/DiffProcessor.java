package io.syncline.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.ReconciliationDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sorts each differing key of the join into its bucket, names the differing fields with both
 * values, sets aside as in-flight lag what changed within the tolerance window (by the records'
 * own timestamps, as of the run's start), sets aside as expected what {@link ExpectedDifferences}
 * explains, plans the job's response for the bucket, and keeps the counts of the data-quality score.
 * A differing reference, and a dangling one wherever it is, is noted as such ({@link ComparedReferences}).
 */
final class DiffProcessor {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ReconciliationJob job;
    private final Instant windowStart;
    private final boolean dryRun;
    private final ObjectMapper mapper;
    private final ExpectedDifferences expectedDifferences;
    private final ComparedReferences references;

    long onlyInA;
    long onlyInB;
    long mismatched;
    long inFlight;
    /** Differences explained as expected (held, rejected, declared): in no bucket's count. */
    long expected;
    /** Differing keys side A has (in any bucket, in flight or not): side A's other keys are equal. */
    long presentInA;
    /** Master records the subscriber lacks or holds with a different value in a quality field. */
    long qualityMisses;
    /** Differences with a dangling reference on either side. */
    long dangling;

    DiffProcessor(ReconciliationJob job, Instant asOf, boolean dryRun, ObjectMapper mapper) {
        this(job, asOf, dryRun, mapper, ExpectedDifferences.none());
    }

    DiffProcessor(ReconciliationJob job, Instant asOf, boolean dryRun, ObjectMapper mapper, ExpectedDifferences expected) {
        this(job, asOf, dryRun, mapper, expected, ComparedReferences.NONE);
    }

    DiffProcessor(ReconciliationJob job, Instant asOf, boolean dryRun, ObjectMapper mapper, ExpectedDifferences expected,
            ComparedReferences references) {
        this.job = job;
        this.references = references;
        this.windowStart = asOf.minus(job.tolerance());
        this.dryRun = dryRun;
        this.mapper = mapper;
        this.expectedDifferences = expected;
    }

    /** The difference to report; null when it is in-flight lag, or every field that differs is within its numeric tolerance. */
    Difference classify(DiffRow row) {
        Bucket bucket = row.valuesA() == null ? Bucket.only_in_b : row.valuesB() == null ? Bucket.only_in_a : Bucket.mismatched;
        Map<String, Object> a = read(row.valuesA());
        Map<String, Object> b = read(row.valuesB());
        List<Difference.FieldDifference> fields = new ArrayList<>();
        if (bucket == Bucket.mismatched) {
            TreeSet<String> names = new TreeSet<>(a.keySet());
            names.addAll(b.keySet());
            boolean tolerated = false;
            for (String name : names) {
                if (Objects.equals(a.get(name), b.get(name))) {
                    continue;
                }
                if (withinTolerance(name, a.get(name), b.get(name))) {
                    tolerated = true;
                } else {
                    fields.add(new Difference.FieldDifference(name, a.get(name), b.get(name)));
                }
            }
            if (tolerated && fields.isEmpty()) {
                // every field that differs does so within its tolerance: the two records are equal
                return null;
            }
        }
        if (row.valuesA() != null) {
            presentInA++;
        }
        Instant recordAt = newest(row.atA(), row.atB());
        if (recordAt != null && recordAt.isAfter(windowStart)) {
            inFlight++;
            return null;
        }
        Map<String, Object> valuesA = row.valuesA() == null ? null : a;
        Map<String, Object> valuesB = row.valuesB() == null ? null : b;
        fields = references.note(fields, valuesA, valuesB);
        if (fields.stream().anyMatch(ComparedReferences::dangling)) {
            dangling++;
        }
        String because = expectedDifferences.reason(bucket, row.key(), valuesA, valuesB);
        if (because != null) {
            expected++;
            return new Difference(row.key(), bucket, fields, valuesA, valuesB, recordAt, Difference.Action.expected, because);
        }
        count(bucket, fields);
        return new Difference(row.key(), bucket, fields, valuesA, valuesB, recordAt, action(bucket));
    }

    /** Whether two values of a field with a numeric tolerance are numbers no further apart than it. */
    private boolean withinTolerance(String field, Object a, Object b) {
        BigDecimal tolerance = job.numericTolerances().get(field);
        if (tolerance == null) {
            return false;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        return x != null && y != null && x.subtract(y).abs().compareTo(tolerance) <= 0;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private void count(Bucket bucket, List<Difference.FieldDifference> fields) {
        char reference = job.masterSide() == 0 ? 'A' : job.masterSide();
        switch (bucket) {
            case only_in_a -> {
                onlyInA++;
                if (reference == 'A') {
                    qualityMisses++;
                }
            }
            case only_in_b -> {
                onlyInB++;
                if (reference == 'B') {
                    qualityMisses++;
                }
            }
            case mismatched -> {
                mismatched++;
                if (fields.stream().anyMatch(field -> job.qualityFields().contains(field.field())
                        || field.field().equals(RecordStager.REJECTED_FIELD))) {
                    qualityMisses++;
                }
            }
        }
    }

    private Difference.Action action(Bucket bucket) {
        ReconciliationDefinition.Response response = switch (bucket) {
            case only_in_a -> job.responses().onlyInA();
            case only_in_b -> job.responses().onlyInB();
            case mismatched -> job.responses().mismatched();
        };
        return switch (response) {
            case REPORT -> Difference.Action.report;
            case AUTO_FIX -> dryRun ? Difference.Action.would_fix : Difference.Action.fix;
            case QUARANTINE -> dryRun ? Difference.Action.would_quarantine : Difference.Action.quarantine;
        };
    }

    /** Share of the reference side's records the other side holds with equal quality fields; 1.0 when there are none. */
    double qualityScore(long referenceRecords) {
        return referenceRecords == 0 ? 1.0 : Math.max(0.0, (referenceRecords - qualityMisses) / (double) referenceRecords);
    }

    private static Instant newest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private Map<String, Object> read(String json) {
        if (json == null) {
            return new TreeMap<>();
        }
        try {
            return mapper.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("Staged values are not JSON: " + json, e);
        }
    }
}
