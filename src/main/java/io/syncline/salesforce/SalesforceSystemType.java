package io.syncline.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.SystemType;
import io.syncline.model.Ability;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.SalesforceSystem;
import io.syncline.reconcile.pull.RecordPuller;
import io.syncline.reconcile.pull.SalesforceRecordPuller;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * System type {@code salesforce}: an org, read page by page with SOQL for reconciliation
 * ({@link SalesforceRecordPuller}, sessions from {@link SalesforceSessions}). It writes nothing
 * and erases nothing: a model that asks it to is refused at start-up.
 */
@ApplicationScoped
public class SalesforceSystemType implements SystemType {

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES));

    private final SalesforceRecordPuller puller;

    public SalesforceSystemType(SynclineConfig config, ObjectMapper json) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.http().connectTimeout()).build();
        this.puller = new SalesforceRecordPuller(http, json,
                new SalesforceSessions(http, Duration.ofSeconds(30), new ConfigEnvironment(), json));
    }

    @Override
    public String name() {
        return SalesforceSystem.TYPE;
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    @Override
    public RecordPuller puller() {
        return puller;
    }
}
