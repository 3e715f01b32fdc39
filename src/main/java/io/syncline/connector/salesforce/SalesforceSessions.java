package io.syncline.connector.salesforce;

import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;

import java.net.URI;

/**
 * The sessions of Salesforce orgs for callers that send their own requests (the SOQL pull): the
 * session of the org's {@link SalesforceComponents component}, so that the org has one login
 * whatever reads or writes it, by the system's OAuth flow. Salesforce answers no {@code expires_in}:
 * a session lasts until the API refuses it ({@code 401 INVALID_SESSION_ID}), and then
 * {@link #renew} logs in again, unless another caller already did. Every login is reserved at the
 * component's gate first.
 */
public final class SalesforceSessions {

    private final SalesforceComponents components;

    public SalesforceSessions(SalesforceComponents components) {
        this.components = components;
    }

    /** Where this replica's calls to an org are reserved. */
    public SalesforceCallGate gate() {
        return components.gate();
    }

    /** An access token and where to use it: the org's instance, not the login host. */
    public record Session(String accessToken, URI instanceUrl) {

        @Override
        public String toString() {
            return "Session[token hidden, instanceUrl=" + instanceUrl + "]";
        }
    }

    /**
     * The system's session, logging in when there is none.
     *
     * @throws SalesforceLoginException the token endpoint refused the client or could not be reached
     * @throws SalesforceBudgetSpentException the login may not be made now (a spent budget, a paused org)
     */
    public Session session(String name, SalesforceSettings system) {
        return login(name, system, null);
    }

    /** The API refused {@code rejected}: a new session, unless another caller already has one. */
    public Session renew(String name, SalesforceSettings system, Session rejected) {
        return login(name, system, rejected.accessToken());
    }

    private Session login(String name, SalesforceSettings system, String rejected) {
        SalesforceSession session = components.session(name, system);
        try {
            String token = session.getAccessToken();
            if (token == null || token.equals(rejected)) {
                token = session.login(rejected);
            }
            return new Session(token, URI.create(session.getInstanceUrl().replaceAll("/+$", "")));
        } catch (SalesforceException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SalesforceBudgetSpentException spent) {
                    throw spent;
                }
            }
            throw new SalesforceLoginException(name + ": Salesforce refused the " + system.authOrDefault().name()
                    .toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " login: " + e.getMessage(), e);
        }
    }
}
