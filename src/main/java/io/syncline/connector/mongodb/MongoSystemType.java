package io.syncline.connector.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.model.Ability;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.Environment;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.ProducerTemplate;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MongoDB collections as systems (docs/connectors/mongodb.md), through Camel's MongoDB component.
 * A record is a document whose {@code _id} is the mapping's key: a write is an upsert by that key,
 * a delete removes it, a reconciliation pulls the collection whole in key order, and change polling
 * reads the documents whose modification time (the mapping's {@code modifiedAt}, a date) is after
 * the watermark. Change streams are not used: they need a replica set.
 */
@ApplicationScoped
@Named(MongoSystemType.NAME)
public class MongoSystemType extends SystemTypeSupport {

    public static final String NAME = "mongodb";
    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES,
            Ability.READ_CHANGES, Ability.FETCH, Ability.WRITE));
    public static final SystemTypeRules RULES = MongoRules.RULES;

    @Inject
    SyncModelRegistry registry;
    @Inject
    ProducerTemplate producer;
    Environment environment = new ConfigEnvironment();
    private final Map<String, String> clients = new ConcurrentHashMap<>();

    public MongoSystemType() {
        super(NAME, ABILITIES, RULES);
    }

    @Override
    public RecordPuller puller() {
        return new MongoPuller(request -> collection(request.systemName(), request.system(), request.mapping()));
    }

    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        return Optional.ofNullable(collection(entity, system).find(id));
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        Object id = row.get(mapping(entity, system).key());
        if (id == null) {
            throw new IllegalArgumentException("A " + entity + " written to " + system + " (mongodb) has no "
                    + mapping(entity, system).key() + ": its key is the document's _id");
        }
        collection(entity, system).save(String.valueOf(id), row);
        return String.valueOf(id);
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        collection(entity, system).save(id, row);
    }

    @Override
    public boolean delete(String entity, String system, String id) {
        return collection(entity, system).remove(id);
    }

    private SystemMapping mapping(String entity, String system) {
        return Mappings.of(registry.current().model(), entity, system);
    }

    private MongoCollection collection(String entity, String system) {
        return collection(system, registry.current().model().systems().get(system), mapping(entity, system));
    }

    /** The collection of {@code mapping} in {@code system}, through an endpoint of Camel's MongoDB component. */
    MongoCollection collection(String system, SystemDefinition definition, SystemMapping mapping) {
        MongoSettings settings = MongoSettings.of(system, definition);
        String name = MongoMappingSettings.of(mapping).collection();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A mapping of system '" + system + "' (mongodb) names no collection: add"
                    + " collection: <name>");
        }
        return new MongoCollection(producer, endpoint(system, settings, name), mapping.key());
    }

    /**
     * A {@code mongodb:} endpoint of the system's database and {@code collection}, on the system's
     * client: one {@link MongoClient} a connection string, bound in Camel's registry for the
     * component to use (its connection pool is shared by the system's collections).
     */
    String endpoint(String system, MongoSettings settings, String collection) {
        String uri = settings.uri(system, environment);
        String bean = clients.computeIfAbsent(uri, given -> {
            String name = "syncline-mongodb-" + system + "-" + Integer.toHexString(given.hashCode());
            producer.getCamelContext().getRegistry().bind(name, MongoClient.class, MongoClients.create(given));
            return name;
        });
        return "mongodb:" + bean + "?database=" + settings.database() + "&collection=" + collection;
    }

    @PreDestroy
    void close() {
        clients.values().forEach(bean -> {
            MongoClient client = producer.getCamelContext().getRegistry().lookupByNameAndType(bean, MongoClient.class);
            if (client != null) {
                client.close();
            }
        });
    }
}
