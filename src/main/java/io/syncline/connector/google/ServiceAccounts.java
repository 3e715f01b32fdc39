package io.syncline.connector.google;

import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.googleapis.auth.oauth2.GoogleCredential;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's sign-in as a service account, for every type that calls a Google API (google-sheets, and the
 * REST presets whose auth is {@code google-service-account}): a JWT signed RS256 with the private key of the
 * service account's JSON key, issued by its {@code client_email} for the key's {@code token_uri}, asking for
 * the scopes, valid an hour and, with domain-wide delegation, naming the user to act as ({@code sub}),
 * exchanged at the {@code token_uri} by the grant {@code urn:ietf:params:oauth:grant-type:jwt-bearer} for an
 * access token, again shortly before it expires or when the API refuses it. The key comes from the environment,
 * never from a file or the model, and neither it nor a token is logged.
 */
public final class ServiceAccounts {

    /** Fetch a new token this long before the one held expires. */
    static final long EXPIRY_MARGIN_SECONDS = 60;

    private final HttpTransport transport = new NetHttpTransport();
    private final Map<Signing, GoogleCredential> credentials = new ConcurrentHashMap<>();

    /** One service account acting as {@code subject} (null: as itself) for {@code scopes}. */
    private record Signing(String key, List<String> scopes, String subject) {

        @Override
        public String toString() {
            return "Signing[hidden key, scopes=" + scopes + ", subject=" + subject + "]";
        }
    }

    /**
     * The credential of the service account whose JSON key is {@code key}, for {@code scopes}, acting as
     * {@code subject} where one is named (domain-wide delegation); {@code owner} names the system in errors.
     *
     * @throws IllegalStateException the key is missing or is not a service account's JSON key (the message names
     *                               what is wrong, never the key)
     */
    @SuppressWarnings("deprecation") // the credential Camel's Google components build too; it honours the key's token_uri
    public static GoogleCredential credential(String owner, String key, Collection<String> scopes, String subject,
            HttpTransport transport) {
        if (key == null || key.isBlank()) {
            throw new IllegalStateException(owner + ": its service account key variable is not set");
        }
        try {
            GoogleCredential credential = GoogleCredential.fromStream(new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)),
                    transport, GsonFactory.getDefaultInstance()).createScoped(scopes);
            return subject == null || subject.isBlank() ? credential : credential.createDelegated(subject);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(owner + ": its credentials are not a service account's JSON key: " + e.getMessage(), e);
        }
    }

    /**
     * A valid access token of the service account whose JSON key is {@code key}, for {@code scopes}, acting as
     * {@code subject}; fetched when there is none or it is about to expire, shared by every request with the same
     * key, scopes and subject.
     *
     * @throws TargetRejectedException    the token endpoint refused the assertion (a 4xx: a revoked key, a client not
     *                                    granted the scopes for domain-wide delegation, a subject that is no user)
     * @throws TargetUnavailableException the token endpoint could not be reached or failed for now
     */
    @SuppressWarnings("deprecation")
    public String token(String system, String key, List<String> scopes, String subject) {
        GoogleCredential credential = credentials.computeIfAbsent(new Signing(key, List.copyOf(scopes), subject),
                signing -> credential("System '" + system + "'", signing.key(), signing.scopes(), signing.subject(), transport));
        synchronized (credential) {
            Long expiresIn = credential.getExpiresInSeconds();
            if (credential.getAccessToken() == null || expiresIn == null || expiresIn <= EXPIRY_MARGIN_SECONDS) {
                refresh(system, credential);
            }
            return credential.getAccessToken();
        }
    }

    /** The API refused {@code rejected} (401): the next {@link #token} fetches a new one, unless another caller already did. */
    @SuppressWarnings("deprecation")
    public void invalidate(String key, List<String> scopes, String subject, String rejected) {
        GoogleCredential credential = credentials.get(new Signing(key, List.copyOf(scopes), subject));
        if (credential != null) {
            synchronized (credential) {
                if (Objects.equals(credential.getAccessToken(), rejected)) {
                    credential.setAccessToken(null);
                }
            }
        }
    }

    @SuppressWarnings("deprecation")
    private static void refresh(String system, GoogleCredential credential) {
        String request = "POST " + credential.getTokenServerEncodedUrl() + " (service account token)";
        try {
            if (!credential.refreshToken()) {
                throw new TargetUnavailableException(system, null, null, system + " is unavailable: " + request
                        + " gave no access token", null);
            }
        } catch (TokenResponseException refused) {
            String why = refused.getDetails() == null ? refused.getStatusMessage()
                    : refused.getDetails().getError() + ": " + refused.getDetails().getErrorDescription();
            throw new TargetRejectedException(system, refused.getStatusCode(), why, system + " rejected " + request + ": "
                    + refused.getStatusCode() + " " + why);
        } catch (IOException unreachable) {
            throw new TargetUnavailableException(system, null, null, system + " is unavailable: " + request + " failed: "
                    + unreachable.getMessage(), unreachable);
        }
    }
}
