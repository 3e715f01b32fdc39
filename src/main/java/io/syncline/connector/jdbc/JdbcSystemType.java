package io.syncline.connector.jdbc;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Erasure;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SqlDatabase;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.connector.spi.TargetStages;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.EraseSpec;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * System type {@code jdbc}: a table of a relational database (PostgreSQL, MariaDB, MySQL, H2),
 * reached through one connection path for every use ({@link JdbcConnections}: the named
 * datasource or Syncline's own pool, sessions in UTC). Its apply stages are its own
 * ({@link JdbcTargetMatcher}, {@link JdbcTargetWriter}): a target on the state store's datasource
 * is written in the sync unit's transaction, and the inbox applies its events in set-based
 * batches (docs/adr/0004-set-based-apply.md). The record calls serve privacy requests and record
 * status.
 */
@ApplicationScoped
public class JdbcSystemType extends SystemTypeSupport {

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.READ_CHANGES, Ability.CAPTURE_CHANGES,
            Ability.FETCH, Ability.READ_BACK, Ability.SEARCH, Ability.WRITE, Ability.BATCH_WRITE, Ability.TRANSACTIONAL_WRITE,
            Ability.ERASE));

    /** What the type checks of its systems, mappings, polls, pulls and captures. */
    public static final SystemTypeRules RULES = JdbcRules.RULES;

    private final SyncModelRegistry registry;
    private final JdbcConnections connections;
    private final JdbcRecords records;
    private final TargetStages stages;
    private final JdbcKeysetPuller puller;

    public JdbcSystemType(SyncModelRegistry registry, JdbcConnections connections, JdbcRecords records, JdbcTargetMatcher matcher,
            JdbcTargetWriter writer) {
        super(JdbcSettings.TYPE, ABILITIES, RULES);
        this.registry = registry;
        this.connections = connections;
        this.records = records;
        this.stages = TargetStages.of(matcher::match, writer::write);
        this.puller = new JdbcKeysetPuller(system -> connections.dataSource(system).getConnection());
    }

    /** Its connection, and each mapping's table, columns and key index ({@link JdbcSystemCheck}). */
    @Override
    public List<SystemCheck> check(String system, SyncModel model, Duration timeout) {
        return new JdbcSystemCheck(name -> connections.dataSource(name).getConnection()).check(system, model, timeout);
    }

    @Override
    public RecordPuller puller() {
        return puller;
    }

    @Override
    public Optional<SqlDatabase> database(String system) {
        return Optional.of(new SqlDatabase() {

            @Override
            public Connection connect() throws SQLException {
                return connections.dataSource(system).getConnection();
            }

            @Override
            public Login login() {
                return connections.login(system);
            }

            @Override
            public String table(SystemMapping mapping) {
                return RULES.table(mapping);
            }
        });
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) throws SQLException {
        return records.read(entity, system, id);
    }

    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) throws SQLException {
        try (Connection connection = connections.dataSource(system).getConnection()) {
            return new JdbcCandidateFinder(registry.current()).find(connection, record, system);
        }
    }

    @Override
    public boolean delete(String entity, String system, String id) throws SQLException {
        return records.delete(entity, system, id);
    }

    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws SQLException {
        if (erasure.mode() == EraseSpec.Mode.HARD) {
            return records.delete(entity, system, id) ? "hard delete" : "already gone";
        }
        List<String> columns = new ArrayList<>(erasure.emptied().values());
        return records.anonymise(entity, system, id, columns) ? "anonymised: " + columns.size() + " fields" : "already gone";
    }

    @Override
    public TargetStages stages(TargetStages.Context context) {
        return stages;
    }
}
