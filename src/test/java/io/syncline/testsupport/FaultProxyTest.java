package io.syncline.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault proxy's modes, in front of an echo server on loopback. */
class FaultProxyTest {

    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread copier = new Thread(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException ignored) {
                            // the test closed it
                        }
                    });
                    copier.setDaemon(true);
                    copier.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 'a')).isEqualTo('a');
        }
    }

    @Test
    void aPartitionHoldsBytesUntilItHeals() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 'a')).isEqualTo('a');
            proxy.partition();
            send(socket, 'b');
            assertThatThrownBy(() -> receive(socket)).isInstanceOf(SocketTimeoutException.class);
            proxy.heal();
            assertThat(receive(socket)).isEqualTo('b');
        }
    }

    @Test
    void connectionsLostForGoodStayDeadWhileNewOnesPass() throws IOException {
        try (Socket old = connect()) {
            assertThat(roundTrip(old, 'a')).isEqualTo('a');
            proxy.partitionForGood();
            proxy.heal();
            send(old, 'b');
            assertThatThrownBy(() -> receive(old)).isInstanceOf(SocketTimeoutException.class);
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, 'c')).isEqualTo('c');
            }
        }
    }

    @Test
    void addsLatencyToEachChunk() throws IOException {
        proxy.latency(Duration.ofMillis(200));
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            assertThat(roundTrip(socket, 'a')).isEqualTo('a');
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void resetsEveryConnection() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 'a')).isEqualTo('a');
            proxy.resetAll();
            assertThatThrownBy(() -> {
                send(socket, 'b');
                if (receive(socket) < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(1_000);
        return socket;
    }

    private static int roundTrip(Socket socket, char c) throws IOException {
        send(socket, c);
        return receive(socket);
    }

    private static void send(Socket socket, char c) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(c);
        out.flush();
    }

    private static int receive(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return in.read();
    }
}
