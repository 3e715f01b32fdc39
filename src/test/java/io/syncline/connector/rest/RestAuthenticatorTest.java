package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request to a REST system carries: its headers with their variables (in place of the client's
 * own), an API key in a header (after its scheme, where one is given) or the query, Basic
 * credentials with or without a password, and an access token of a long-lived refresh token in the
 * header its auth names.
 */
class RestAuthenticatorTest {

    private static final Environment ENVIRONMENT = Map.of("PIPEDRIVE_TOKEN", "k&y/1", "XERO_TENANT_ID", "tenant-42",
            "API_KEY", "header-key", "SEGMENT_ACCESS_TOKEN", "sgp_token", "LWA_CLIENT_ID", "amzn1.application-oa2-client.1",
            "LWA_CLIENT_SECRET", "s3cret&more", "LWA_REFRESH_TOKEN", "Atzr|refresh")::get;
    private final RestAuthenticator authenticator = new RestAuthenticator(ENVIRONMENT, new OAuth2TokenProvider(
            HttpClient.newHttpClient(), Duration.ofSeconds(5), ENVIRONMENT, new ObjectMapper(), Clock.systemUTC()), null);

    private static RestSettings.Auth apiKey(RestSettings.KeyPlacement in) {
        return new RestSettings.Auth(RestSettings.AuthType.API_KEY, null, in == RestSettings.KeyPlacement.HEADER ? "X-Api-Key" : null,
                new SecretRef(in == RestSettings.KeyPlacement.HEADER ? "API_KEY" : "PIPEDRIVE_TOKEN", null), null, null, null, null,
                null, null, in, in == RestSettings.KeyPlacement.QUERY ? "api_token" : null, null, null, null);
    }

    @Test
    void anApiKeyInTheQueryIsAddedEncodedToTheAddressOnly() {
        RestSettings pipedrive = new RestSettings("https://api.pipedrive.com/v1", apiKey(RestSettings.KeyPlacement.QUERY), null, null, null);
        URI persons = URI.create("https://api.pipedrive.com/v1/persons?start=0&limit=100");

        assertThat(authenticator.address(pipedrive, persons))
                .hasToString("https://api.pipedrive.com/v1/persons?start=0&limit=100&api_token=k%26y%2F1");
        assertThat(authenticator.address(pipedrive, URI.create("https://api.pipedrive.com/v1/persons/7")))
                .hasToString("https://api.pipedrive.com/v1/persons/7?api_token=k%26y%2F1");
        HttpRequest.Builder request = HttpRequest.newBuilder(persons);
        assertThat(authenticator.authenticate("pipedrive", pipedrive, request)).isNull();
        assertThat(request.build().headers().map()).isEmpty();
    }

    @Test
    void headersWithTheirVariablesGoBesideTheAuth() {
        RestSettings xero = new RestSettings("https://api.xero.com/api.xro/2.0", apiKey(RestSettings.KeyPlacement.HEADER), null, null, null,
                Map.of("xero-tenant-id", "${XERO_TENANT_ID}", "Accept-Language", "en-GB"));
        URI contacts = URI.create("https://api.xero.com/api.xro/2.0/Contacts");
        HttpRequest.Builder request = HttpRequest.newBuilder(contacts);

        authenticator.authenticate("xero", xero, request);

        HttpRequest sent = request.build();
        assertThat(sent.headers().firstValue("xero-tenant-id")).contains("tenant-42");
        assertThat(sent.headers().firstValue("Accept-Language")).contains("en-GB");
        assertThat(sent.headers().firstValue("X-Api-Key")).contains("header-key");
        assertThat(authenticator.address(xero, contacts)).isEqualTo(contacts);
    }

    @Test
    void anApiKeyFollowsItsSchemeAndTheSystemsHeadersReplaceTheClientsOwn() {
        RestSettings.Auth klaviyoKey = new RestSettings.Auth(RestSettings.AuthType.API_KEY, null, "Authorization", new SecretRef("API_KEY",
                null), null, null, null, null, null, null, null, null, null, null, null, "Klaviyo-API-Key");
        RestSettings klaviyo = new RestSettings("https://a.klaviyo.com", klaviyoKey, null, null, null,
                Map.of("Accept", "application/vnd.api+json", "revision", "2026-07-15"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://a.klaviyo.com/api/profiles")).header("Accept",
                "application/json");

        authenticator.authenticate("klaviyo", klaviyo, request);

        HttpRequest sent = request.build();
        assertThat(sent.headers().allValues("Authorization")).containsExactly("Klaviyo-API-Key header-key");
        assertThat(sent.headers().allValues("Accept")).containsExactly("application/vnd.api+json");
        assertThat(sent.headers().firstValue("revision")).contains("2026-07-15");
    }

    @Test
    void basicCredentialsWithoutAPasswordSendAnEmptyOne() {
        RestSettings.Auth token = new RestSettings.Auth(RestSettings.AuthType.BASIC, null, null, null,
                new SecretRef("SEGMENT_ACCESS_TOKEN", null), null, null, null, null, null);
        RestSettings segment = new RestSettings("https://profiles.segment.com", token, null, null, null);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://profiles.segment.com/v1/spaces/s/collections/users/profiles"));

        authenticator.authenticate("segment", segment, request);

        assertThat(request.build().headers().firstValue("Authorization")).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString("sgp_token:".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aRefreshTokensAccessTokenGoesInTheHeaderItsAuthNamesAndIsKept() throws Exception {
        java.util.List<String> forms = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer lwa = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), 0);
        lwa.createContext("/auth/o2/token", exchange -> {
            try (exchange) {
                forms.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                byte[] answer = "{\"access_token\":\"Atza|access\",\"token_type\":\"bearer\",\"expires_in\":3600}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        lwa.start();
        try {
            RestSettings.Auth auth = new RestSettings.Auth(RestSettings.AuthType.OAUTH2_REFRESH_TOKEN, null, "x-amz-access-token", null,
                    null, null, "http://127.0.0.1:" + lwa.getAddress().getPort() + "/auth/o2/token", new SecretRef("LWA_CLIENT_ID", null),
                    new SecretRef("LWA_CLIENT_SECRET", null), null, null, null, null, new SecretRef("LWA_REFRESH_TOKEN", null), null);
            RestSettings amazon = new RestSettings("https://sellingpartnerapi-na.amazon.com", auth, null, null, null);

            for (int call = 0; call < 2; call++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://sellingpartnerapi-na.amazon.com/orders/v0/orders"));
                assertThat(authenticator.authenticate("amazon", amazon, request)).isEqualTo("Atza|access");
                HttpRequest sent = request.build();
                assertThat(sent.headers().allValues("x-amz-access-token")).containsExactly("Atza|access");
                assertThat(sent.headers().firstValue("Authorization")).isEmpty();
            }

            // one token for both calls; the client's credentials in the form, none in a Basic header
            assertThat(forms).containsExactly("grant_type=refresh_token&refresh_token=Atzr%7Crefresh"
                    + "&client_id=amzn1.application-oa2-client.1&client_secret=s3cret%26more");
            assertThat(authorizations).containsExactly("null");
        } finally {
            lwa.stop(0);
        }
    }
}
