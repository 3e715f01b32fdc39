package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.testsupport.SalesforceStub;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.util.Map;

/**
 * A stub org and a {@link SalesforceClient} of it through a component of its own Camel context,
 * logging in by the client credentials flow: system {@code sfdc}, API 62.0. Closing it stops both.
 */
final class StubOrgClient implements AutoCloseable {

    private static final Environment ENVIRONMENT = Map.of("SF_CLIENT_ID", SalesforceStub.CLIENT_ID,
            "SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET)::get;

    final SalesforceStub org;
    final SalesforceClient client;
    private final DefaultCamelContext camel;

    StubOrgClient() throws IOException {
        org = new SalesforceStub();
        camel = new DefaultCamelContext();
        camel.start();
        client = new SalesforceClient(camel.createProducerTemplate(), new SalesforceComponents(camel, ENVIRONMENT), new ObjectMapper());
    }

    /** The org's {@code sobject}, as a call names it. */
    SalesforceClient.Target target(String sobject) {
        return new SalesforceClient.Target("sfdc", new SalesforceSettings(org.baseUrl(), "62.0", new SecretRef("SF_CLIENT_ID", null),
                new SecretRef("SF_CLIENT_SECRET", null), null, null), sobject);
    }

    @Override
    public void close() {
        camel.stop();
        org.close();
    }
}
