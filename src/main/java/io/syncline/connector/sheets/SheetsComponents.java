package io.syncline.connector.sheets;

import com.google.api.services.sheets.v4.Sheets;
import io.syncline.connector.spi.SystemComponents;
import io.syncline.model.ConfigEnvironment;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.component.google.sheets.GoogleSheetsComponent;
import org.apache.camel.component.google.sheets.GoogleSheetsConfiguration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Camel {@link GoogleSheetsComponent} per Google Sheets system of the model, named
 * {@code google-sheets-<system>}, signed in as the system's service account
 * ({@link SheetsClientFactory}); a route file may use it as well
 * ({@code google-sheets-<system>://data/get?…}). A component signs in at its first call, not at
 * start-up; a system whose settings change when the model is reloaded gets a new component.
 * What each system last answered is kept for readiness ({@link #states()}).
 */
@ApplicationScoped
public class SheetsComponents {

    private final ConfigEnvironment environment;
    private final SystemComponents<SheetsSettings, GoogleSheetsComponent> components;
    private final Map<String, String> states = new ConcurrentHashMap<>();

    public SheetsComponents(CamelContext camel) {
        this.components = new SystemComponents<>(camel, "google-sheets-", "Google Sheets system %s: its settings changed, signing in anew");
        this.environment = new ConfigEnvironment();
    }

    /** The Sheets client of {@code system}, from its component. */
    Sheets client(String system, SheetsSettings settings) {
        GoogleSheetsComponent component = component(system, settings);
        return component.getClient(component.getConfiguration());
    }

    private GoogleSheetsComponent component(String system, SheetsSettings settings) {
        return components.of(system, settings, given -> made(system, given));
    }

    private GoogleSheetsComponent made(String system, SheetsSettings settings) {
        GoogleSheetsComponent component = new GoogleSheetsComponent();
        GoogleSheetsConfiguration configuration = new GoogleSheetsConfiguration();
        configuration.setApplicationName(SheetsClientFactory.APPLICATION);
        // a label only: the factory reads the key from the environment variable it names
        configuration.setServiceAccountKey("env:" + settings.credentialsEnv());
        component.setConfiguration(configuration);
        component.setClientFactory(new SheetsClientFactory(system, environment.get(settings.credentialsEnv()), settings.rootUrl(),
                status -> answered(system, status)));
        return component;
    }

    /** Notes what {@code system} answered: a refusal of the service account turns it down until a call goes through. */
    void answered(String system, int status) {
        if (status == 401 || status == 403) {
            states.put(system, "the service account was refused (HTTP " + status + "): check its key and that the"
                    + " spreadsheet is shared with its e-mail");
        } else if (status / 100 == 2) {
            states.put(system, "");
        }
    }

    /** A call to {@code system} got no answer. */
    void unreachable(String system, String why) {
        states.put(system, "unreachable: " + why);
    }

    /** Each system called so far: empty when its last call went through, else why not. */
    Map<String, String> states() {
        return Map.copyOf(states);
    }
}
