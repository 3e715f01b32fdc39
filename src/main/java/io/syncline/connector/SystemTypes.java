package io.syncline.connector;

import io.quarkus.arc.All;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.MissingAbilityException;
import io.syncline.connector.spi.ReadBack;
import io.syncline.connector.spi.SqlDatabase;
import io.syncline.connector.spi.SystemType;
import io.syncline.connector.spi.TargetMatching;
import io.syncline.connector.spi.TargetStages;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.Ability;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemPresets;
import io.syncline.model.SystemTypeCatalog;
import io.syncline.model.SystemTypeRules;
import io.syncline.sync.BatchReadAhead;
import io.syncline.webhook.SystemWebhook;
import io.syncline.webhook.SystemWebhooks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system types the application has, by name: every {@link SystemType} bean. A model's
 * {@code type:} chooses one; two types of one name fail the start, as an unknown name fails the
 * model ({@link SystemTypeCatalog}, checked by the model validator).
 */
@ApplicationScoped
public class SystemTypes implements SystemTypeCatalog, SystemWebhooks {

    private static final Logger LOG = Logger.getLogger(SystemTypes.class);

    private final Map<String, SystemType> byName = new TreeMap<>();
    private final SyncModelRegistry registry;
    private final TargetStages.Context context;
    private final Map<String, TargetStages> stages = new ConcurrentHashMap<>();

    @Inject
    public SystemTypes(@All List<SystemType> types, SyncModelRegistry registry, IdMapRepository idMap, TargetMatching matching,
            BatchReadAhead readAhead) {
        this.registry = registry;
        this.context = new TargetStages.Context(registry, idMap, matching, readAhead);
        for (SystemType type : types) {
            SystemType other = byName.putIfAbsent(type.name(), type);
            if (other != null) {
                throw new IllegalStateException("Two system types are named " + type.name() + ": "
                        + other.getClass().getName() + " and " + type.getClass().getName());
            }
        }
        LOG.infof("System types: %s", byName.keySet());
    }

    @Override
    public Set<Ability> abilitiesOf(String type) {
        SystemType found = named(type);
        return found == null ? null : found.abilities();
    }

    /**
     * The type of that name; for a preset that needs no plug-in (its provider says everything as
     * data), the type that {@linkplain SystemType#servesPresets serves presets}, as its settings say. Null when there is neither.
     */
    private SystemType named(String type) {
        SystemType found = byName.get(type);
        if (found == null && type != null && SystemPresets.of(type).isPresent()) {
            return byName.values().stream().filter(SystemType::servesPresets).findFirst().orElse(null);
        }
        return found;
    }

    @Override
    public SystemTypeRules rulesOf(String type) {
        SystemType found = named(type);
        return found == null ? SystemTypeRules.NONE : found.rules();
    }

    /** Every type, in name order. */
    public java.util.Collection<SystemType> all() {
        return java.util.Collections.unmodifiableCollection(byName.values());
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }

    /** The type of the model's system {@code system}. */
    public SystemType of(String system) {
        return typeOf(system, registry.current().model().systems().get(system));
    }

    /** The type of {@code definition}, the model's system {@code system}. */
    public SystemType typeOf(String system, SystemDefinition definition) {
        if (definition == null) {
            throw new IllegalArgumentException("The model has no system '" + system + "'");
        }
        SystemType type = named(definition.type());
        if (type == null) {
            throw new IllegalArgumentException("System '" + system + "' is of type " + definition.type()
                    + ", which the application does not have; types: " + byName.keySet());
        }
        return type;
    }

    /** The SQL database the model's system {@code system} is ({@link SystemType#database}); empty for a system that is none. */
    public Optional<SqlDatabase> database(String system) {
        return of(system).database(system);
    }

    /** What the model's system {@code system} says of its webhook requests ({@link SystemType#webhook}); empty for none. */
    @Override
    public Optional<SystemWebhook> webhook(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        return definition == null ? Optional.empty() : typeOf(system, definition).webhook(system, definition);
    }

    /** Whether the model's system {@code system} can {@code ability}. */
    public boolean can(String system, Ability ability) {
        return of(system).abilities().contains(ability);
    }

    /**
     * Whether the current values of the model's system {@code system} are read back before a write
     * and for record status: its type can ({@link Ability#READ_BACK}) and the system lets it
     * ({@link SystemTypeRules#readsBack}: a REST API only with {@code readBack: true}).
     */
    public boolean readsBack(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        return ReadBack.readsBack(typeOf(system, definition), definition);
    }

    /** The apply stages of the system's type. */
    public TargetStages stages(String system) {
        SystemType type = of(system);
        return stages.computeIfAbsent(type.name(), name -> type.stages(context));
    }

    /**
     * The record's current values in {@code system}, in canonical form (record status, conflict
     * detection); empty when it has none.
     *
     * @throws MissingAbilityException the system does not read records back ({@link #readsBack(String)})
     * @throws SQLException             the system is a database that failed (other failures are unchecked)
     */
    public Optional<Map<String, Object>> readBack(String entity, String system, String id) throws SQLException {
        SystemType type = of(system);
        if (!readsBack(system)) {
            throw new MissingAbilityException(type.name(), Ability.READ_BACK);
        }
        try {
            return ReadBack.canonical(registry.current(), type, entity, system, id);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Reading " + entity + " " + id + " back from " + system + " failed: "
                    + e.getMessage(), e);
        }
    }
}
