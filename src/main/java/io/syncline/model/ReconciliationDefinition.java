package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * A reconciliation job, declared under {@code reconciliations:} in a model file: which entity,
 * which two systems, when (Quartz cron), how old a difference must be before it counts
 * ({@code tolerance}), what to do with each bucket, and when a pull is too small to trust.
 *
 * @param tolerance           differences whose records changed more recently than this are in-flight lag ("1h", "30m", "PT2H")
 * @param timestampField      canonical timestamp field giving a record's own age; default the entity's only timestamp field
 * @param compare             canonical fields compared; default every field both sides read
 * @param qualityFields       fields of the data-quality score; default {@code compare}
 * @param fixEndpoint         apply route an auto-fix is enqueued for ({@code direct:crm-contacts-apply}); by default
 *                            the model's route from the master to the other side, made for the job when the master
 *                            sends no events of its own
 * @param truncationThreshold a side pulling fewer than this share of its last trustworthy count makes the run untrustworthy
 * @param strategy            how the sides are read: every record ({@code full}, the default) or only the key segments
 *                            whose checksums differ ({@code bisection}, two JDBC systems)
 * @param checksums           for {@code bisection}: computed at each run ({@code computed}, the default) or kept by
 *                            the databases as the tables change ({@code maintained}: triggers Syncline installs)
 * @param expect              differences the integrator expects (one side holds records the other is not meant
 *                            to): reported as expected, with the reason, instead of as drift
 * @param numericTolerances   numeric fields and how far apart their two values may be and still be equal
 *                            ({@code amount: 0.01}: a cent of rounding is no drift)
 */
@RegisterForReflection
public record ReconciliationDefinition(String entity, String sideA, String sideB, String schedule, String tolerance,
        String timestampField, Responses responses, Integer pageSize,
        Double truncationThreshold, List<String> compare, List<String> qualityFields,
        Double qualityThreshold, String fixEndpoint, Strategy strategy,
        Checksums checksums, List<Expectation> expect, Map<String, java.math.BigDecimal> numericTolerances) {

    public static final String DEFAULT_TOLERANCE = "1h";
    public static final int DEFAULT_PAGE_SIZE = 500;
    public static final double DEFAULT_TRUNCATION_THRESHOLD = 0.8;
    public static final double DEFAULT_QUALITY_THRESHOLD = 0.98;

    public ReconciliationDefinition {
        responses = responses == null ? new Responses(null, null, null) : responses;
        compare = compare == null ? List.of() : compare;
        qualityFields = qualityFields == null ? List.of() : qualityFields;
        strategy = strategy == null ? Strategy.FULL : strategy;
        checksums = checksums == null ? Checksums.COMPUTED : checksums;
        expect = expect == null ? List.of() : expect;
        numericTolerances = numericTolerances == null ? Map.of() : numericTolerances;
    }

    /** Whether any bucket's response is {@code auto-fix}. */
    public boolean autoFixes() {
        return responses.onlyInA() == Response.AUTO_FIX || responses.onlyInB() == Response.AUTO_FIX
                || responses.mismatched() == Response.AUTO_FIX;
    }

    /** The apply route of the model's routes that writes {@code subscriber} from the entity's master {@code master}. */
    public String fixEndpointOrDefault(String master, String subscriber) {
        return fixEndpoint != null ? fixEndpoint : "direct:" + entity + "-" + master + "-to-" + subscriber;
    }

    public String toleranceOrDefault() {
        return tolerance == null ? DEFAULT_TOLERANCE : tolerance;
    }

    public int pageSizeOrDefault() {
        return pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
    }

    public double truncationThresholdOrDefault() {
        return truncationThreshold == null ? DEFAULT_TRUNCATION_THRESHOLD : truncationThreshold;
    }

    public double qualityThresholdOrDefault() {
        return qualityThreshold == null ? DEFAULT_QUALITY_THRESHOLD : qualityThreshold;
    }

    /** What happens to the differences of each bucket; {@code report} unless told. */
    @RegisterForReflection
    public record Responses(Response onlyInA, Response onlyInB, Response mismatched) {

        public Responses {
            onlyInA = onlyInA == null ? Response.REPORT : onlyInA;
            onlyInB = onlyInB == null ? Response.REPORT : onlyInB;
            mismatched = mismatched == null ? Response.REPORT : mismatched;
        }
    }

    /**
     * Differences that are no drift: those of {@code bucket} (any when left out) whose record has, on
     * the side that holds it (side A first), each field of {@code where} at its value or one of its
     * values (a list); {@code reason} says why, in the run's report.
     */
    @RegisterForReflection
    public record Expectation(String bucket, Map<String, Object> where, String reason) {

        /** The bucket names an expectation takes, as the responses name them. */
        public static final List<String> BUCKETS = List.of("onlyInA", "onlyInB", "mismatched");

        public Expectation {
            where = where == null ? Map.of() : where;
        }
    }

    public enum Strategy {
        /** Pull every record of both sides through their contracts. */
        @JsonProperty("full")
        FULL,
        /**
         * Compare checksums of key segments inside both databases and pull only the records of the
         * segments that differ; a run whose contracts or databases cannot compute them pulls in full.
         */
        @JsonProperty("bisection")
        BISECTION
    }

    public enum Checksums {
        /** Each run hashes every record of both tables inside their databases: nothing installed, read access only. */
        @JsonProperty("computed")
        COMPUTED,
        /**
         * Each database keeps its table's checksums as the table changes (triggers and two tables that
         * Syncline installs on the first run): a run reads a few thousand sums instead of hashing every record.
         */
        @JsonProperty("maintained")
        MAINTAINED
    }

    public enum Response {
        /** Listed in the run's report; nothing else. */
        @JsonProperty("report")
        REPORT,
        /** Created in the subscriber through the normal apply route (only for a record the master has and the subscriber lacks). */
        @JsonProperty("auto-fix")
        AUTO_FIX,
        /** Put into the review queue for a person. */
        @JsonProperty("quarantine")
        QUARANTINE
    }
}
