package io.syncline.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port in front of a database, which fails the way networks do: a
 * partition that holds every byte (nothing passes either way, nothing is closed, and what was
 * held flows on after {@link #heal()}); a partition after which the connections of the time stay
 * dead for good (a NAT or firewall that forgot them, a failover that moved the primary) while new
 * ones pass; latency added to every chunk; and a reset of every connection. One thread accepts,
 * two threads per connection copy bytes, one for each direction.
 */
public final class FaultProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean partitioned;
    private volatile long latencyMillis;
    private volatile boolean closed;

    private FaultProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** A proxy on a free loopback port to {@code host:port}, passing everything. */
    public static FaultProxy start(String host, int port) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(server, new InetSocketAddress(host, port));
        Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** A proxy in front of the database of a JDBC URL ({@code jdbc:postgresql://host:port/db…}). */
    public static FaultProxy before(String jdbcUrl) throws IOException {
        java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
        return start(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** {@code jdbcUrl} with its host and port replaced by the proxy's. */
    public String route(String jdbcUrl) {
        java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return jdbcUrl.replaceFirst(java.util.regex.Pattern.quote(hostPort), "127.0.0.1:" + port());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Nothing passes either way from now on; every socket stays open. */
    public void partition() {
        partitioned = true;
    }

    /**
     * A partition after which today's connections never pass a byte again, even once the network
     * heals; connections made after {@link #heal()} pass as usual.
     */
    public void partitionForGood() {
        partitioned = true;
        links.forEach(link -> link.dead = true);
    }

    /** The network is back: held bytes flow on (except on connections lost for good). */
    public void heal() {
        synchronized (gate) {
            partitioned = false;
            gate.notifyAll();
        }
    }

    /** Added to every chunk in either direction; zero for none. */
    public void latency(Duration perChunk) {
        latencyMillis = perChunk.toMillis();
    }

    /** Resets every open connection (RST to both ends); new connections pass. */
    public void resetAll() {
        for (Link link : links) {
            link.reset();
        }
    }

    /** Connections open through the proxy. */
    public int connections() {
        return links.size();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        links.forEach(Link::reset);
        heal();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket database = new Socket();
                try {
                    database.connect(upstream, 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                Link link = new Link(client, database);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    // out of sockets: accepting again at once would only spin
                    sleep(50);
                }
            }
        }
    }

    /** Waits while bytes must not pass on this link; true when they may. */
    private boolean mayPass(Link link) {
        synchronized (gate) {
            while ((partitioned || link.dead) && !closed) {
                try {
                    gate.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        long latency = latencyMillis;
        if (latency > 0) {
            // the slow link itself, as latency(...) asks
            sleep(latency);
        }
        return !closed;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One proxied connection: the application's socket and the database's. */
    private final class Link {

        final Socket client;
        final Socket database;
        volatile boolean dead;

        Link(Socket client, Socket database) {
            this.client = client;
            this.database = database;
        }

        void start() {
            pump(client, database, "up");
            pump(database, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> copy(from, to), "fault-proxy-" + direction + "-" + client.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        private void copy(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!mayPass(this)) {
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
                // The end of the stream is news like any other: it waits for the network too.
                if (mayPass(this)) {
                    to.shutdownOutput();
                    if (from.isOutputShutdown()) {
                        reset();
                    }
                }
            } catch (IOException e) {
                // one end went away: so does the other, unless the network keeps it from knowing
                if (mayPass(this)) {
                    reset();
                }
            }
        }

        void reset() {
            links.remove(this);
            for (Socket socket : new Socket[]{client, database}) {
                try {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } catch (SocketException ignored) {
                    // already closed
                } catch (IOException ignored) {
                    // closing is all that is asked
                }
            }
        }
    }
}
