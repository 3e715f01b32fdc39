package io.syncline.webhook;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.awaitility.Awaitility.await;

/**
 * A request counts as in progress from the moment it arrives, before its body is in and before
 * any route has it (the wait the intake priority must see), until its connection is done with it.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class RequestsInProgressTest {

    @Inject
    RequestsInProgress requests;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aRequestWhoseBodyIsStillComingIsInProgressUntilItsConnectionCloses() throws Exception {
        int before = requests.count();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/demo/contacts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"id\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await("the half-sent request counted").until(() -> requests.count() == before + 1);
        }
        await("the closed request no longer counted").until(() -> requests.count() == before);
    }
}
