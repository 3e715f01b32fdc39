package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.testsupport.SalesforceStub;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each OAuth 2.0 flow a Salesforce system may declare logs its own component in at the stub's
 * token endpoint (client credentials, refresh token, username-password, JWT bearer signed by the
 * connected app's key), and the component's first call then writes a contact; wrong credentials
 * fail the call with Salesforce's own error, which is permanent.
 */
class SalesforceLoginFlowsTest {

    private static final String KEYSTORE_PASSWORD = "stub-keystore-password";
    private static final Environment ENVIRONMENT = Map.of(
            "SF_CLIENT_ID", SalesforceStub.CLIENT_ID, "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET,
            "SF_REFRESH_TOKEN", SalesforceStub.REFRESH_TOKEN, "SF_USERNAME", SalesforceStub.USERNAME,
            "SF_PASSWORD", SalesforceStub.PASSWORD, "SF_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD,
            "SF_WRONG_SECRET", "not-the-secret")::get;

    private SalesforceStub org;
    private DefaultCamelContext camel;
    private SalesforceClient client;

    @BeforeEach
    void start() throws Exception {
        org = new SalesforceStub();
        org.fields("Contact", "LastName", "Email");
        camel = new DefaultCamelContext();
        camel.start();
        client = new SalesforceClient(camel.createProducerTemplate(), new SalesforceComponents(camel, ENVIRONMENT), new ObjectMapper());
    }

    @AfterEach
    void stop() {
        camel.stop();
        org.close();
    }

    private static SecretRef env(String name) {
        return new SecretRef(name, null);
    }

    private SalesforceSettings system(SalesforceSettings.Auth auth, SecretRef secret, SecretRef refreshToken, String keystore) {
        return new SalesforceSettings(org.baseUrl(), "62.0", env("SF_CLIENT_ID"), secret, refreshToken, null, auth,
                env("SF_USERNAME"), env("SF_PASSWORD"), keystore, env("SF_KEYSTORE_PASSWORD"));
    }

    private String write(String name, SalesforceSettings system) throws SalesforceCallException {
        return client.create(new SalesforceClient.Target(name, system, "Contact"), Map.of("LastName", name)).id();
    }

    @Test
    void clientCredentialsRefreshTokenAndUsernamePasswordEachLogInWithTheirOwnGrant() throws Exception {
        write("cc", system(null, env("SF_CLIENT_SECRET"), null, null));
        write("refresh", system(null, env("SF_CLIENT_SECRET"), env("SF_REFRESH_TOKEN"), null));
        write("password", system(SalesforceSettings.Auth.USERNAME_PASSWORD, env("SF_CLIENT_SECRET"), null, null));

        assertThat(org.logins).containsExactly("client_credentials", "refresh_token", "password");
        assertThat(org.records("Contact")).extracting(record -> record.get("LastName")).containsExactly("cc", "refresh", "password");
    }

    @Test
    void theJwtBearerFlowSignsItsAssertionWithTheKeystoresKey(@TempDir Path folder) throws Exception {
        Path keystore = folder.resolve("connected-app.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "syncline", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=syncline-test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD).inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        org.jwtCertificate(store.getCertificate("syncline"));

        String id = write("jwt", system(SalesforceSettings.Auth.JWT_BEARER, null, null, keystore.toString()));

        assertThat(org.logins).containsExactly("urn:ietf:params:oauth:grant-type:jwt-bearer");
        assertThat(id).startsWith("003");
    }

    @Test
    void refusedCredentialsFailTheCallWithTheTokenEndpointsError() {
        SalesforceSettings wrong = system(null, env("SF_WRONG_SECRET"), null, null);

        assertThatThrownBy(() -> write("wrong", wrong)).isInstanceOfSatisfying(SalesforceCallException.class, failure -> {
            assertThat(failure.status()).isEqualTo(400);
            assertThat(failure.getMessage()).contains("invalid_client");
            assertThat(SalesforceFailures.of("wrong", failure)).isInstanceOf(io.syncline.failure.TargetRejectedException.class);
        });
        assertThat(org.records("Contact")).isEmpty();
        assertThat(List.copyOf(org.logins)).containsOnly("client_credentials");
    }
}
