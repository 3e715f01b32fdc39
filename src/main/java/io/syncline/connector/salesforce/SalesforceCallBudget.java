package io.syncline.connector.salesforce;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Salesforce calls counted per org, UTC day and kind in the state store
 * ({@code salesforce_call_budget}), each reserved before it is made: one conditional
 * {@code UPDATE} of the day's total row ({@code kind '*'}) takes the call only while the total is
 * below the system's {@code dailyCallBudget} and the org's daily allocation is not marked spent,
 * so that replicas sharing the store never pass the budget together. A spent budget refuses calls
 * with {@link SalesforceBudgetSpentException}, due at the next UTC midnight, and is logged once a
 * day per org.
 *
 * <p>An org that answers {@code REQUEST_LIMIT_EXCEEDED} is asked for its own limits ({@code GET
 * /limits}). Where {@code DailyApiRequests.Remaining} is 0, its rolling 24-hour allocation is spent:
 * that is marked in the store ({@code limit_reached_at}), calls of every replica wait, and the org's
 * limits are read again every {@link #ALLOCATION_RECHECK}; calls resume as soon as they say requests
 * remain. Otherwise the limit was the concurrent long-running request limit, which clears as soon as
 * fewer requests run: this replica's calls pause for {@link SalesforceCallGate#CONCURRENT_PAUSE},
 * doubled at each repeat within a minute, at most {@link #LONGEST_CONCURRENT_PAUSE}. Metrics:
 * {@code syncline_salesforce_calls_total{system, kind}} (this replica's calls),
 * {@code syncline_salesforce_budget_used{system}} and {@code syncline_salesforce_budget_remaining{system}}
 * (the org's day, as of this replica's last call).
 */
@ApplicationScoped
public class SalesforceCallBudget implements SalesforceCallGate {

    private static final Logger LOG = Logger.getLogger(SalesforceCallBudget.class);
    static final String TOTAL = "*";

    private static final String ENSURE = "INSERT INTO salesforce_call_budget (system_name, call_day, kind, calls)"
            + " VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING";
    /** The row of one org, day and kind of call, which every statement below names as {@link #bind} sets it. */
    private static final String ROW = " WHERE system_name = ? AND call_day = ? AND kind = ?";
    private static final String COUNT = "UPDATE salesforce_call_budget SET calls = calls + 1" + ROW;
    private static final String TAKE = COUNT + " AND limit_reached_at IS NULL";
    private static final String TAKE_WITHIN = TAKE + " AND calls < ?";
    private static final String READ = "SELECT calls, limit_reached_at FROM salesforce_call_budget" + ROW;
    private static final String LIMIT_REACHED = "UPDATE salesforce_call_budget SET limit_reached_at = ?" + ROW;
    /** One replica takes each re-check of a spent allocation: the one whose update finds the mark it read. */
    private static final String CLAIM_CHECK = LIMIT_REACHED + " AND limit_reached_at = ?";
    private static final String LIMIT_CLEARED = "UPDATE salesforce_call_budget SET limit_reached_at = NULL" + ROW;

    /** How often the limits of an org whose daily allocation is spent are read again. */
    static final Duration ALLOCATION_RECHECK = Duration.ofMinutes(5);
    /** The longest pause after repeated concurrent-limit refusals. */
    static final Duration LONGEST_CONCURRENT_PAUSE = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Org> orgs = new ConcurrentHashMap<>();
    private volatile OrgLimits limits;

    /** An org as this replica last saw it: the day's calls, its budget, when calls resume, its connection. */
    public record Usage(LocalDate day, long used, Long budget, Instant waitingUntil, String connection) {

        /** Calls left today, or null without a budget. */
        public Long remaining() {
            return budget == null ? null : Math.max(0, budget - used);
        }
    }

    private static final class Org {

        final AtomicLong used = new AtomicLong();
        final AtomicLong remaining = new AtomicLong(-1);
        volatile LocalDate day;
        volatile Long budget;
        volatile Instant waitingUntil;
        volatile LocalDate loggedSpent;
        volatile String connection = "not called yet";
        /** This replica's pause after a concurrent-limit refusal, its length and why. */
        volatile Instant pausedUntil;
        volatile Duration lastPause;
        volatile String pauseReason;
    }

    @Inject
    public SalesforceCallBudget(AgroalDataSource dataSource, MeterRegistry meters) {
        this(dataSource, meters, Clock.systemUTC());
    }

    public SalesforceCallBudget(DataSource dataSource, MeterRegistry meters, Clock clock) {
        this.dataSource = dataSource;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void readLimitsWith(OrgLimits limits) {
        this.limits = limits;
    }

    @Override
    public void reserve(String system, SalesforceSettings settings, String kind) {
        boolean readingLimits = SalesforceCallKinds.LIMITS.equals(kind);
        Org org = org(system);
        Instant now = clock.instant();
        Instant paused = org.pausedUntil;
        if (!readingLimits && paused != null && now.isBefore(paused)) {
            throw new SalesforceBudgetSpentException(system, paused, "Salesforce system " + system + ": " + org.pauseReason
                    + "; calls resume at " + paused);
        }
        Long budget = settings.dailyCallBudget();
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long used;
        Instant limitReached;
        boolean taken;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ensure(connection, system, day, TOTAL);
                // reading the org's limits is how a pause ends: it is counted, never refused
                try (PreparedStatement take = connection.prepareStatement(readingLimits ? COUNT : budget == null ? TAKE : TAKE_WITHIN)) {
                    bind(take, system, day, TOTAL);
                    if (budget != null && !readingLimits) {
                        take.setLong(4, budget);
                    }
                    taken = take.executeUpdate() == 1;
                }
                if (taken) {
                    ensure(connection, system, day, kind);
                    try (PreparedStatement count = connection.prepareStatement(COUNT)) {
                        bind(count, system, day, kind);
                        count.executeUpdate();
                    }
                }
                try (PreparedStatement read = connection.prepareStatement(READ)) {
                    bind(read, system, day, TOTAL);
                    try (ResultSet row = read.executeQuery()) {
                        row.next();
                        used = row.getLong(1);
                        Timestamp at = row.getTimestamp(2);
                        limitReached = at == null ? null : at.toInstant();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(system + ": the Salesforce call could not be reserved in the state store: "
                    + e.getMessage(), e);
        }
        org.day = day;
        org.budget = budget;
        org.used.set(used);
        org.remaining.set(budget == null ? -1 : Math.max(0, budget - used));
        if (taken) {
            org.waitingUntil = null;
            meters.counter("syncline.salesforce.calls", Tags.of("system", system, "kind", kind)).increment();
            return;
        }
        if (limitReached != null && (budget == null || used < budget)) {
            Instant recheck = limitReached.plus(ALLOCATION_RECHECK);
            if (!now.isBefore(recheck) && claimCheck(system, day, limitReached, now)) {
                Long remaining = dailyRemaining(system, settings);
                if (remaining == null || remaining > 0) {
                    clear(system, day);
                    LOG.infof("Salesforce system %s: its limits say %s daily API requests remain; calls resume", system,
                            remaining == null ? "(unreadable)" : remaining);
                    reserve(system, settings, kind);
                    return;
                }
                recheck = now.plus(ALLOCATION_RECHECK);
            }
            org.waitingUntil = recheck;
            throw new SalesforceBudgetSpentException(system, recheck, "Salesforce system " + system + ": the org's daily API"
                    + " allocation is spent (REQUEST_LIMIT_EXCEEDED at " + limitReached + ", its limits say no daily API requests"
                    + " remain); its limits are read again at " + recheck);
        }
        Instant until = nextUtcMidnight(clock);
        org.waitingUntil = until;
        String why = "its daily call budget of " + budget + " is spent";
        if (!day.equals(org.loggedSpent)) {
            org.loggedSpent = day;
            LOG.warnf("Salesforce system %s: %s; calls wait until %s", system, why, until);
        }
        throw new SalesforceBudgetSpentException(system, until, "Salesforce system " + system + ": " + why
                + "; calls resume at " + until);
    }

    @Override
    public SalesforceBudgetSpentException limitReached(String system, SalesforceSettings settings, String message) {
        Org org = org(system);
        Instant now = clock.instant();
        Long remaining = dailyRemaining(system, settings);
        if (remaining != null && remaining <= 0) {
            LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            try (Connection connection = dataSource.getConnection()) {
                ensure(connection, system, day, TOTAL);
                try (PreparedStatement mark = connection.prepareStatement(LIMIT_REACHED)) {
                    mark.setTimestamp(1, Timestamp.from(now));
                    bind(mark, 2, system, day, TOTAL);
                    mark.executeUpdate();
                }
            } catch (SQLException e) {
                LOG.warnf("Salesforce system %s: its spent allocation could not be noted in the state store: %s", system,
                        e.getMessage());
            }
            Instant recheck = now.plus(ALLOCATION_RECHECK);
            org.waitingUntil = recheck;
            LOG.warnf("Salesforce system %s: Salesforce answered REQUEST_LIMIT_EXCEEDED and its limits say its daily API"
                    + " allocation is spent; calls wait, its limits read again every %s", system, ALLOCATION_RECHECK);
            return new SalesforceBudgetSpentException(system, recheck, "Salesforce system " + system
                    + ": Salesforce answered REQUEST_LIMIT_EXCEEDED (" + message + ") and its limits say no daily API requests"
                    + " remain; its limits are read again at " + recheck);
        }
        // the concurrent long-running request limit: it clears as soon as fewer requests run
        Duration last = org.lastPause;
        Instant lastEnd = org.pausedUntil;
        Duration pause = last == null || lastEnd == null || now.isAfter(lastEnd.plus(LONGEST_CONCURRENT_PAUSE))
                ? CONCURRENT_PAUSE : last.multipliedBy(2);
        if (pause.compareTo(LONGEST_CONCURRENT_PAUSE) > 0) {
            pause = LONGEST_CONCURRENT_PAUSE;
        }
        Instant until = now.plus(pause);
        org.lastPause = pause;
        org.pauseReason = "Salesforce answered REQUEST_LIMIT_EXCEEDED (" + message + ") while "
                + (remaining == null ? "its limits could not be read" : "its limits say " + remaining + " daily API requests remain")
                + ": a concurrent request limit, calls pause for " + pause.toSeconds() + " s";
        org.pausedUntil = until;
        org.waitingUntil = until;
        LOG.infof("Salesforce system %s: %s", system, org.pauseReason);
        return new SalesforceBudgetSpentException(system, until, "Salesforce system " + system + ": " + org.pauseReason
                + "; calls resume at " + until);
    }

    /** The org's daily API requests left as its limits say; null without a reader or when they cannot be read. */
    private Long dailyRemaining(String system, SalesforceSettings settings) {
        OrgLimits reader = limits;
        if (reader == null) {
            return null;
        }
        try {
            return reader.dailyRemaining(system, settings);
        } catch (RuntimeException e) {
            LOG.warnf("Salesforce system %s: its limits could not be read: %s", system, e.getMessage());
            return null;
        }
    }

    /** Takes the re-check of a spent allocation marked at {@code marked}: false when another replica took it. */
    private boolean claimCheck(String system, LocalDate day, Instant marked, Instant now) {
        return update(system, CLAIM_CHECK, claim -> {
            claim.setTimestamp(1, Timestamp.from(now));
            bind(claim, 2, system, day, TOTAL);
            claim.setTimestamp(5, Timestamp.from(marked));
        }) == 1;
    }

    private void clear(String system, LocalDate day) {
        update(system, LIMIT_CLEARED, clear -> bind(clear, 1, system, day, TOTAL));
    }

    /** What a statement needs set before it runs. */
    @FunctionalInterface
    private interface Parameters {

        void set(PreparedStatement statement) throws SQLException;
    }

    /** One update of the org's day, committed on its own; a failure fails the reservation under way. */
    private int update(String system, String sql, Parameters parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(system + ": the Salesforce call could not be reserved in the state store: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void answered(String system, String problem) {
        org(system).connection = problem == null ? "connected" : problem;
    }

    /** How {@code system} stood at this replica's last call; empty before it. */
    public Optional<Usage> usage(String system) {
        Org org = orgs.get(system);
        if (org == null) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        boolean current = today.equals(org.day);
        Instant waiting = org.waitingUntil != null && org.waitingUntil.isAfter(clock.instant()) ? org.waitingUntil : null;
        return Optional.of(new Usage(today, current ? org.used.get() : 0, org.budget, waiting, org.connection));
    }

    /** The next midnight, UTC: when a day's budget (Syncline's own, {@code dailyCallBudget}) starts again. */
    static Instant nextUtcMidnight(Clock clock) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private Org org(String system) {
        return orgs.computeIfAbsent(system, name -> {
            Org org = new Org();
            Tags tags = Tags.of("system", name);
            Gauge.builder("syncline.salesforce.budget.used", org, this::usedToday).tags(tags).register(meters);
            Gauge.builder("syncline.salesforce.budget.remaining", org, this::remainingToday).tags(tags).register(meters);
            return org;
        });
    }

    private double usedToday(Org org) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).equals(org.day) ? org.used.get() : 0;
    }

    private double remainingToday(Org org) {
        Long budget = org.budget;
        if (budget == null) {
            return Double.NaN;
        }
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).equals(org.day) ? org.remaining.get() : budget;
    }

    private static void ensure(Connection connection, String system, LocalDate day, String kind) throws SQLException {
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE)) {
            bind(ensure, system, day, kind);
            ensure.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, String system, LocalDate day, String kind) throws SQLException {
        bind(statement, 1, system, day, kind);
    }

    private static void bind(PreparedStatement statement, int from, String system, LocalDate day, String kind) throws SQLException {
        statement.setString(from, system);
        statement.setDate(from + 1, Date.valueOf(day));
        statement.setString(from + 2, kind);
    }
}
