package io.syncline.salesforce;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.syncline.model.SalesforceSystem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salesforce calls counted per org, UTC day and kind in the state store
 * ({@code salesforce_call_budget}), each reserved before it is made: one conditional
 * {@code UPDATE} of the day's total row ({@code kind '*'}) takes the call only while the total is
 * below the system's {@code dailyCallBudget} and the org has not said {@code REQUEST_LIMIT_EXCEEDED}
 * today, so that replicas sharing the store never pass the budget together. A refused reservation
 * throws {@link SalesforceBudgetSpentException}, due at the next UTC midnight, and is logged once a
 * day per org. Metrics: {@code syncline_salesforce_calls_total{system, kind}} (this replica's
 * calls), {@code syncline_salesforce_budget_used{system}} and
 * {@code syncline_salesforce_budget_remaining{system}} (the org's day, as of this replica's last call).
 */
@ApplicationScoped
public class SalesforceCallBudget implements SalesforceCallGate {

    private static final Logger LOG = Logger.getLogger(SalesforceCallBudget.class);
    static final String TOTAL = "*";

    private static final String ENSURE = "INSERT INTO salesforce_call_budget (system_name, call_day, kind, calls)"
            + " VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING";
    private static final String TAKE = "UPDATE salesforce_call_budget SET calls = calls + 1"
            + " WHERE system_name = ? AND call_day = ? AND kind = ? AND limit_reached_at IS NULL";
    private static final String TAKE_WITHIN = TAKE + " AND calls < ?";
    private static final String COUNT = "UPDATE salesforce_call_budget SET calls = calls + 1"
            + " WHERE system_name = ? AND call_day = ? AND kind = ?";
    private static final String READ = "SELECT calls, limit_reached_at FROM salesforce_call_budget"
            + " WHERE system_name = ? AND call_day = ? AND kind = ?";
    private static final String LIMIT_REACHED = "UPDATE salesforce_call_budget SET limit_reached_at = ?"
            + " WHERE system_name = ? AND call_day = ? AND kind = ? AND limit_reached_at IS NULL";

    private final DataSource dataSource;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Org> orgs = new ConcurrentHashMap<>();

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
    public void reserve(String system, SalesforceSystem settings, String kind) {
        Long budget = settings.dailyCallBudget();
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Org org = org(system);
        long used;
        Instant limitReached;
        boolean taken;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ensure(connection, system, day, TOTAL);
                try (PreparedStatement take = connection.prepareStatement(budget == null ? TAKE : TAKE_WITHIN)) {
                    bind(take, system, day, TOTAL);
                    if (budget != null) {
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
        Instant until = nextUtcMidnight(clock);
        org.waitingUntil = until;
        String why = limitReached != null
                ? "Salesforce answered REQUEST_LIMIT_EXCEEDED at " + limitReached + " (the org's own allowance is spent)"
                : "its daily call budget of " + budget + " is spent";
        if (!day.equals(org.loggedSpent)) {
            org.loggedSpent = day;
            LOG.warnf("Salesforce system %s: %s; calls wait until %s", system, why, until);
        }
        throw new SalesforceBudgetSpentException(system, until, "Salesforce system " + system + ": " + why
                + "; calls resume at " + until);
    }

    @Override
    public SalesforceBudgetSpentException limitReached(String system, SalesforceSystem settings, String message) {
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            ensure(connection, system, day, TOTAL);
            try (PreparedStatement mark = connection.prepareStatement(LIMIT_REACHED)) {
                mark.setTimestamp(1, Timestamp.from(now));
                mark.setString(2, system);
                mark.setDate(3, Date.valueOf(day));
                mark.setString(4, TOTAL);
                mark.executeUpdate();
            }
        } catch (SQLException e) {
            LOG.warnf("Salesforce system %s: REQUEST_LIMIT_EXCEEDED could not be noted in the state store: %s", system,
                    e.getMessage());
        }
        Org org = org(system);
        Instant until = nextUtcMidnight(clock);
        org.waitingUntil = until;
        if (!day.equals(org.loggedSpent)) {
            org.loggedSpent = day;
            LOG.warnf("Salesforce system %s: Salesforce answered REQUEST_LIMIT_EXCEEDED (the org's own allowance is spent);"
                    + " calls wait until %s", system, until);
        }
        return new SalesforceBudgetSpentException(system, until, "Salesforce system " + system
                + ": Salesforce answered REQUEST_LIMIT_EXCEEDED (" + message + "); calls resume at " + until);
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

    /** The next midnight, UTC: when a day's budget starts again. */
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
        statement.setString(1, system);
        statement.setDate(2, Date.valueOf(day));
        statement.setString(3, kind);
    }
}
