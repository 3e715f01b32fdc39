package io.syncline.connector.sheets;

import com.google.api.client.auth.oauth2.Credential;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.SheetsScopes;
import io.syncline.connector.google.ServiceAccounts;
import org.apache.camel.CamelContext;
import org.apache.camel.component.google.sheets.GoogleSheetsClientFactory;

import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Makes the Sheets client of one system for its Camel component: signed in as the service account
 * whose JSON key the system's environment variable holds ({@link ServiceAccounts}: a JWT signed with its
 * private key, exchanged for an access token at the key's {@code token_uri}, again when it expires or the
 * API answers 401), at the system's root URL. The key is read from the environment, never from a file
 * or the model, and never logged. Each answer's status goes to {@code answered}, for readiness.
 */
final class SheetsClientFactory implements GoogleSheetsClientFactory {

    static final String APPLICATION = "Syncline";

    private final String system;
    private final String key;
    private final String rootUrl;
    private final IntConsumer answered;
    private final HttpTransport transport = new NetHttpTransport();
    private final JsonFactory json = GsonFactory.getDefaultInstance();

    SheetsClientFactory(String system, String key, String rootUrl, IntConsumer answered) {
        this.system = system;
        this.key = key;
        this.rootUrl = rootUrl;
        this.answered = answered;
    }

    @Override
    public Sheets makeClient(String clientId, String clientSecret, Collection<String> scopes, String applicationName,
            String refreshToken, String accessToken) {
        return client();
    }

    @Override
    public Sheets makeClient(CamelContext camelContext, String serviceAccountKey, Collection<String> scopes,
            String applicationName, String delegate) {
        return client();
    }

    Sheets client() {
        Credential credential = credential();
        HttpRequestInitializer initializer = request -> {
            credential.initialize(request);
            request.setResponseInterceptor(response -> answered.accept(response.getStatusCode()));
        };
        return new Sheets.Builder(transport, json, initializer).setRootUrl(rootUrl).setApplicationName(APPLICATION).build();
    }

    private Credential credential() {
        return ServiceAccounts.credential("System '" + system + "' (google-sheets)", key, List.of(SheetsScopes.SPREADSHEETS), null,
                transport);
    }
}
