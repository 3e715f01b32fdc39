package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.SystemComponents;
import io.syncline.model.Environment;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One Camel {@link SalesforceComponent} per Salesforce system of the model, each with the
 * system's own login (its OAuth flow, secrets read from the environment) and so its own session,
 * renewed by the component when the API answers {@code 401 INVALID_SESSION_ID}. A component logs
 * in at its first call, not at start-up: an org that is down does not stop the application. A
 * system whose settings change when the model is reloaded gets a new component.
 */
public final class SalesforceComponents {

    private static final Logger LOG = Logger.getLogger(SalesforceComponents.class);
    /** Where the Streaming API (CometD) is served: {@code /cometd/<version>}. */
    private static final String STREAMING_PATH = "/cometd/";

    private final CamelContext camel;
    private final Environment environment;
    private final SystemComponents<SalesforceSettings, SalesforceComponent> components;
    private final SalesforceCallGate gate;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMITS_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient LIMITS_HTTP = HttpClient.newBuilder().connectTimeout(LIMITS_TIMEOUT).build();

    public SalesforceComponents(CamelContext camel, Environment environment) {
        this(camel, environment, SalesforceCallGate.OPEN);
    }

    public SalesforceComponents(CamelContext camel, Environment environment, SalesforceCallGate gate) {
        this.camel = camel;
        this.environment = environment;
        this.components = new SystemComponents<>(camel, "salesforce-", "Salesforce system %s: its settings changed, logging in anew");
        this.gate = gate;
        gate.readLimitsWith(this::dailyRemaining);
    }

    /** Where calls to the orgs are reserved. */
    SalesforceCallGate gate() {
        return gate;
    }

    /** The session of {@code system}'s component: one login per org, for the component's calls and for others. */
    SalesforceSession session(String system, SalesforceSettings settings) {
        return ((SalesforceComponent) camel.getComponent(scheme(system, settings))).getSession();
    }

    /**
     * {@code GET /limits} with the org's session: its {@code DailyApiRequests.Remaining}; 0 when the
     * org refuses even that with {@code REQUEST_LIMIT_EXCEEDED}; null when its limits cannot be read
     * (no session yet, another error). Sent apart from the component's HTTP client, since a gate
     * deciding whether the component may send a request asks it.
     */
    Long dailyRemaining(String system, SalesforceSettings settings) {
        SalesforceComponent component = (SalesforceComponent) camel.getComponent(scheme(system, settings));
        SalesforceSession session = component.getSession();
        String token = session == null ? null : session.getAccessToken();
        if (token == null) {
            return null;
        }
        gate.reserve(system, settings, SalesforceCallKinds.LIMITS);
        try {
            HttpResponse<String> answer = LIMITS_HTTP.send(HttpRequest.newBuilder(URI.create(session.getInstanceUrl()
                    .replaceAll("/+$", "") + "/services/data/v" + settings.apiVersionOrDefault() + "/limits"))
                    .timeout(LIMITS_TIMEOUT).header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(answer.body());
            if (answer.statusCode() / 100 != 2) {
                boolean spent = body.isArray() && "REQUEST_LIMIT_EXCEEDED".equals(body.path(0).path("errorCode").asText());
                if (!spent) {
                    LOG.warnf("Salesforce system %s: its limits could not be read (HTTP %d)", system, answer.statusCode());
                }
                return spent ? 0L : null;
            }
            JsonNode remaining = body.path("DailyApiRequests").path("Remaining");
            return remaining.canConvertToLong() ? remaining.asLong() : null;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Salesforce system %s: its limits could not be read: %s", system, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The URI scheme of the component that reaches {@code system}, made from its settings when it has none yet. */
    public synchronized String scheme(String system, SalesforceSettings settings) {
        components.of(system, settings, this::component, component -> {
            ServiceHelper.startService(component);
            gated(system, settings, component.getHttpClient());
        });
        return components.scheme(system);
    }

    /**
     * The scheme of {@code system}'s component for a Streaming API consumer (Change Data Capture).
     * Camel's consumers refuse a component that logs in lazily; the component logs in when its
     * first consumer starts instead, so the org's one session serves its consumers and its calls.
     */
    public synchronized String streamingScheme(String system, SalesforceSettings settings) {
        String scheme = scheme(system, settings);
        ((SalesforceComponent) camel.getComponent(scheme)).getLoginConfig().setLazyLogin(false);
        return scheme;
    }

    /**
     * Every request the component sends, its logins and the retries after a renewed session
     * included, is reserved at the gate as it is queued, and aborted unsent when the gate refuses;
     * its outcome is noted for readiness.
     */
    private void gated(String system, SalesforceSettings settings, SalesforceHttpClient http) {
        http.getRequestListeners().addQueuedListener(request -> {
            if (request.getPath().startsWith(STREAMING_PATH)) {
                return; // the Streaming API's long polls are no API calls: the org counts its event deliveries apart
            }
            try {
                gate.reserve(system, settings, SalesforceCallKinds.of(request.getMethod(), request.getPath()));
            } catch (RuntimeException refused) {
                request.abort(refused);
                return;
            }
            request.onComplete(result -> {
                if (result.getResponse() != null && result.getResponse().getStatus() > 0) {
                    int status = result.getResponse().getStatus();
                    gate.answered(system, status >= 500 ? "Salesforce answered HTTP " + status
                            : request.getPath().startsWith("/services/oauth2/token") && status >= 400
                                    ? "login refused (HTTP " + status + ")"
                            : null);
                } else if (result.getFailure() != null && !(result.getFailure() instanceof SalesforceBudgetSpentException)) {
                    gate.answered(system, "unreachable: " + result.getFailure().getMessage());
                }
            });
        });
    }

    /** A component logged in as {@code settings} say, lazily. */
    SalesforceComponent component(SalesforceSettings settings) {
        SalesforceComponent component = new SalesforceComponent();
        component.setLoginConfig(loginConfig(settings));
        // raw JSON in and out: records as the field contract shapes them, no generated classes
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setRawPayload(true);
        config.setApiVersion(settings.apiVersionOrDefault());
        component.setConfig(config);
        return component;
    }

    SalesforceLoginConfig loginConfig(SalesforceSettings settings) {
        SalesforceLoginConfig login = new SalesforceLoginConfig();
        login.setLoginUrl(settings.loginUrl().replaceAll("/+$", ""));
        login.setClientId(settings.clientId().resolve(environment));
        login.setLazyLogin(true);
        switch (settings.authOrDefault()) {
            case CLIENT_CREDENTIALS -> {
                login.setType(AuthenticationType.CLIENT_CREDENTIALS);
                login.setClientSecret(settings.clientSecret().resolve(environment));
            }
            case REFRESH_TOKEN -> {
                login.setType(AuthenticationType.REFRESH_TOKEN);
                login.setClientSecret(settings.clientSecret().resolve(environment));
                login.setRefreshToken(settings.refreshToken().resolve(environment));
            }
            case USERNAME_PASSWORD -> {
                login.setType(AuthenticationType.USERNAME_PASSWORD);
                login.setClientSecret(settings.clientSecret().resolve(environment));
                login.setUserName(settings.username().resolve(environment));
                login.setPassword(settings.password().resolve(environment));
            }
            case JWT_BEARER -> {
                login.setType(AuthenticationType.JWT);
                login.setUserName(settings.username().resolve(environment));
                KeyStoreParameters keystore = new KeyStoreParameters();
                keystore.setResource("file:" + settings.keystore());
                keystore.setType("PKCS12");
                keystore.setPassword(settings.keystorePassword().resolve(environment));
                login.setKeystore(keystore);
            }
        }
        return login;
    }
}
