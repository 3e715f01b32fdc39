import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that makes a link slow and nothing else: every byte reaches the other end half the
 * round-trip delay after the proxy read it, in either direction, so a request and its answer take
 * the whole delay more than without the proxy. Each direction is a delay line, not a stall: a
 * chunk read is queued with its due time (arrival + half the delay) and written then, in order,
 * while the reader goes on reading; an answer the server sends in several chunks, or statements a
 * client sends one after another without waiting (pipelined), are each delayed once, never one
 * chunk's delay after another's. Connecting (the TCP handshake) is not delayed, and the bandwidth
 * is not limited.
 *
 * <p>It also counts round trips: a chunk from the client after the server last spoke on that
 * connection (or the connection's first) begins one. Every second it writes the totals since it
 * started to the stats file, one line: round trips, bytes up, bytes down, connections opened.
 * With {@code --trace FILE} it writes the first bytes of each round trip's first chunk there, one
 * line each (the SQL text where the driver sends it: {@code prepareThreshold=0} in the JDBC URL
 * makes it send the text every time), to see which statements the round trips go to.
 *
 * <p>Usage (the JDK's source launcher, no build): {@code java bench/DelayProxy.java --listen 15433
 * --upstream 127.0.0.1:5432 --round-trip-ms 100 [--stats target/proxy-stats.txt] [--trace target/proxy-trace.txt]}. It prints
 * {@code listening on PORT} once it accepts, and runs until killed.
 */
public final class DelayProxy {

    private static final byte[] END = new byte[0];

    private final InetSocketAddress upstream;
    private final long halfNanos;
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    /** Where the first bytes of each round trip's first chunk go ({@code --trace}), or null. */
    private java.io.PrintStream trace;

    private DelayProxy(InetSocketAddress upstream, long roundTripMillis) {
        this.upstream = upstream;
        this.halfNanos = roundTripMillis * 1_000_000L / 2;
    }

    public static void main(String[] args) throws Exception {
        int listen = 0;
        String upstream = null;
        long roundTripMillis = 0;
        Path stats = null;
        Path trace = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--listen" -> listen = Integer.parseInt(args[i + 1]);
                case "--upstream" -> upstream = args[i + 1];
                case "--round-trip-ms" -> roundTripMillis = Long.parseLong(args[i + 1]);
                case "--stats" -> stats = Path.of(args[i + 1]);
                case "--trace" -> trace = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (upstream == null) {
            throw new IllegalArgumentException("--upstream host:port is required");
        }
        int colon = upstream.lastIndexOf(':');
        DelayProxy proxy = new DelayProxy(
                new InetSocketAddress(upstream.substring(0, colon), Integer.parseInt(upstream.substring(colon + 1))),
                roundTripMillis);
        if (trace != null) {
            proxy.trace = new java.io.PrintStream(Files.newOutputStream(trace), true, StandardCharsets.UTF_8);
        }
        ServerSocket server = new ServerSocket(listen, 200, InetAddress.getLoopbackAddress());
        if (stats != null) {
            proxy.writeStatsEverySecond(stats);
        }
        System.out.println("listening on " + server.getLocalPort() + ", " + roundTripMillis + " ms added per round trip");
        while (true) {
            Socket client = server.accept();
            Socket database = new Socket();
            try {
                database.connect(proxy.upstream, 5_000);
            } catch (IOException e) {
                client.close();
                continue;
            }
            client.setTcpNoDelay(true);
            database.setTcpNoDelay(true);
            proxy.connections.incrementAndGet();
            new Link(proxy, client, database).start();
        }
    }

    private void writeStatsEverySecond(Path file) {
        Thread writer = new Thread(() -> {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            while (true) {
                String line = roundTrips.get() + " " + bytesUp.get() + " " + bytesDown.get() + " " + connections.get() + "\n";
                try {
                    Files.writeString(next, line, StandardCharsets.US_ASCII);
                    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Thread.sleep(1_000);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "delay-proxy-stats");
        writer.setDaemon(true);
        writer.start();
    }

    /** A round trip's first chunk as one line: the connection's port, then its printable bytes (SQL text, statement names). */
    private synchronized void trace(int port, byte[] bytes, int length) {
        StringBuilder line = new StringBuilder().append(System.currentTimeMillis()).append(' ').append(port).append(' ');
        for (int i = 0; i < Math.min(length, 400); i++) {
            char c = (char) (bytes[i] & 0xff);
            line.append(c >= 32 && c < 127 ? c : '.');
        }
        trace.println(line);
    }

    /** One proxied connection: for each direction a reader that stamps chunks and a writer that sends them when due. */
    private static final class Link {

        private final DelayProxy proxy;
        private final Socket client;
        private final Socket database;
        /** Whether the server spoke last on this connection: the client's next chunk then begins a round trip. */
        private volatile boolean serverSpokeLast = true;

        Link(DelayProxy proxy, Socket client, Socket database) {
            this.proxy = proxy;
            this.client = client;
            this.database = database;
        }

        void start() {
            direction(client, database, true);
            direction(database, client, false);
        }

        private void direction(Socket from, Socket to, boolean up) {
            BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
            String name = "delay-proxy-" + (up ? "up-" : "down-") + client.getPort();
            Thread reader = new Thread(() -> read(from, line, up), name + "-read");
            Thread writer = new Thread(() -> write(line, to), name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(Socket from, BlockingQueue<Chunk> line, boolean up) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    long due = System.nanoTime() + proxy.halfNanos;
                    if (up) {
                        if (serverSpokeLast) {
                            serverSpokeLast = false;
                            proxy.roundTrips.incrementAndGet();
                            if (proxy.trace != null) {
                                proxy.trace(client.getPort(), buffer, read);
                            }
                        }
                        proxy.bytesUp.addAndGet(read);
                    } else {
                        serverSpokeLast = true;
                        proxy.bytesDown.addAndGet(read);
                    }
                    line.add(new Chunk(Arrays.copyOf(buffer, read), due));
                }
            } catch (IOException e) {
                // the connection ended: so does this direction, after what it has already read
            }
            line.add(new Chunk(END, System.nanoTime() + proxy.halfNanos));
        }

        private void write(BlockingQueue<Chunk> line, Socket to) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = line.take();
                    long wait = chunk.due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (chunk.bytes == END) {
                        to.shutdownOutput();
                        if (client.isOutputShutdown() && database.isOutputShutdown()) {
                            client.close();
                            database.close();
                        }
                        return;
                    }
                    out.write(chunk.bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                try {
                    client.close();
                    database.close();
                } catch (IOException ignored) {
                    // closing is all that is asked
                }
            }
        }
    }

    private record Chunk(byte[] bytes, long due) {}
}
