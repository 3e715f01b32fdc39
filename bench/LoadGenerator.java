import java.io.IOException;
import java.io.PrintWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load for the demo webhook (POST /webhooks/demo/contacts), each request a distinct contact with
 * an event id of its own. Run with the JDK's source launcher: {@code java bench/LoadGenerator.java …}.
 *
 * <ul>
 * <li>{@code --rate R --seconds S}: a fixed arrival rate, free of coordinated omission: request
 *     i is due at start + i/R whatever became of the earlier ones (they are sent asynchronously),
 *     and its latency counts from that intended time, not from when it could be sent. With
 *     {@code --warmup-seconds W} the stream runs W seconds longer and its first W seconds are
 *     left out of the report and the {@code --out} file: the service and this generator (its
 *     JIT, its connections) are warm when the measured part begins, with no pause between.
 *     At most {@code --connections C} (default 256) requests are in flight, as a fixed-rate
 *     generator with a fixed set of connections (wrk2) has them: when the service falls behind,
 *     the next requests wait here, still timed from their due time, instead of each opening one
 *     more connection until the service runs out of file descriptors.</li>
 * <li>{@code --count N --concurrency C}: N requests as fast as C connections allow (preloading).</li>
 * </ul>
 * {@code --version V} (2 and up) with the {@code --tag} of an earlier run sends updates of the
 * contacts that run created. {@code --out FILE} writes one line per accepted request, {@code inbox_id,intended_at_us} (epoch
 * microseconds), for the end-to-end latency to be computed against the inbox's finished_at.
 */
public final class LoadGenerator {

    private static final String CONSONANTS = "bcdfghjklmnprstvwz";
    private static final String VOWELS = "aeiou";
    private static final Pattern INBOX_ID = Pattern.compile("\"inboxId\"\\s*:\\s*(\\d+)");

    private final URI url;
    private final String path;
    private final String authority;
    /** Connections not in use: a sender takes one, or opens one when there is none. */
    private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();
    /** One thread per request in flight, each on a blocking connection of its own. */
    private ExecutorService senders;
    private final String tag;
    private final long offset;
    private final int version;
    /** {@code --companies K}: each contact names company {@code co-(n mod K)} by id; 0: by name only. */
    private final int companies;
    /** {@code --kind companies}: the requests are those K companies themselves, not contacts. */
    private final boolean companyRecords;
    private long[] intendedMicros;
    private long[] latencyMicros;
    private long[] inboxIds;
    private int[] statuses;
    /** Why the first request without an answer had none (timeout, refused connection…). */
    private volatile String firstFailure;
    /** The first request measured: those before it are the warm-up. */
    private int measuredFrom;

    private LoadGenerator(URI url, String tag, long offset, int version, int companies, boolean companyRecords) {
        this.url = url;
        this.companies = companies;
        this.companyRecords = companyRecords;
        this.path = url.getRawPath();
        this.authority = url.getHost() + ":" + url.getPort();
        this.tag = tag;
        this.offset = offset;
        this.version = version;
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(option(args, "--url", "http://127.0.0.1:18080/webhooks/demo/contacts"));
        String tag = option(args, "--tag", Long.toString(System.currentTimeMillis()));
        // Contacts sent to one database by several runs need distinct numbers (phones): --offset.
        // --version 2 with the tag of an earlier run sends updates of the contacts that run created.
        // --companies K: each contact names one of K companies by id (co-0 … co-K-1), which
        // --kind companies sends first (--count K), for the model of bench/reference-routes.
        LoadGenerator load = new LoadGenerator(url, tag, Long.parseLong(option(args, "--offset", "0")),
                Integer.parseInt(option(args, "--version", "1")), Integer.parseInt(option(args, "--companies", "0")),
                "companies".equals(option(args, "--kind", "contacts")));
        String rate = option(args, "--rate", null);
        long started = System.nanoTime();
        int sent;
        if (rate != null) {
            double perSecond = Double.parseDouble(rate);
            sent = load.fixedRate(perSecond, Double.parseDouble(option(args, "--seconds", "60")),
                    Double.parseDouble(option(args, "--warmup-seconds", "0")),
                    Integer.parseInt(option(args, "--connections", "256")));
        } else {
            sent = load.closedLoop(Integer.parseInt(option(args, "--count", "10000")),
                    Integer.parseInt(option(args, "--concurrency", "16")));
        }
        double elapsed = (System.nanoTime() - started) / 1e9
                - Double.parseDouble(option(args, "--warmup-seconds", "0"));
        load.report(sent, elapsed);
        String out = option(args, "--out", null);
        if (out != null) {
            load.write(Path.of(out), sent);
        }
    }

    /**
     * Sends {@code rate × (warmup + seconds)} requests, each at its due time or, while
     * {@code connections} requests are in flight, as soon as one of them is answered; returns how many.
     */
    private int fixedRate(double rate, double seconds, double warmupSeconds, int connections) throws InterruptedException {
        measuredFrom = (int) Math.round(rate * warmupSeconds);
        int total = measuredFrom + (int) Math.round(rate * seconds);
        allocate(total, connections);
        long periodNanos = Math.round(1e9 / rate);
        CompletableFuture<?>[] answers = new CompletableFuture<?>[total];
        long startNanos = System.nanoTime();
        Instant startWall = Instant.now();
        long startMicros = startWall.getEpochSecond() * 1_000_000 + startWall.getNano() / 1_000;
        long worstLateMicros = 0;
        Semaphore inFlight = new Semaphore(connections);
        for (int i = 0; i < total; i++) {
            long due = startNanos + i * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            worstLateMicros = Math.max(worstLateMicros, (System.nanoTime() - due) / 1_000);
            intendedMicros[i] = startMicros + (due - startNanos) / 1_000;
            answers[i] = send(i, due).whenComplete((answer, failure) -> inFlight.release());
        }
        awaitAll(answers);
        System.out.printf("generator: latest send %.1f ms behind its due time (latency still counts from the due time)%n",
                worstLateMicros / 1000.0);
        return total;
    }

    /** Sends {@code count} requests, at most {@code concurrency} in flight; returns how many. */
    private int closedLoop(int count, int concurrency) throws InterruptedException {
        allocate(count, concurrency);
        Semaphore inFlight = new Semaphore(concurrency);
        CompletableFuture<?>[] answers = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            long now = System.nanoTime();
            Instant wall = Instant.now();
            intendedMicros[i] = wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1_000;
            answers[i] = send(i, now).whenComplete((answer, failure) -> inFlight.release());
        }
        awaitAll(answers);
        return count;
    }

    /**
     * Contact number {@code offset + i}: id and e-mail carry the tag, the phone's last six digits
     * are the number itself and the company is a made-up name, so that no contact matches another
     * by e-mail, phone or fuzzy company name (each one is created in the target).
     */
    private CompletableFuture<Void> send(int i, long dueNanos) {
        return CompletableFuture.runAsync(() -> exchange(i, dueNanos), senders);
    }

    private void exchange(int i, long dueNanos) {
        long n = offset + i;
        String id = tag + "-" + i;
        // Version 2 and later change the last name and move updatedAt on: an update of the contact.
        String companyId = companies > 0 ? "\"id\":\"co-" + (companyRecords ? n : n % companies) + "\"," : "";
        String body = companyRecords
                ? String.format("{%s\"name\":\"%s Ltd\"}", companyId, company(n))
                : String.format("{\"id\":\"c-%s\",\"email\":\"%s@bench.example.com\",\"firstName\":\"Ada\","
                        + "\"lastName\":\"%s\",\"phone\":\"020 7%03d %04d\",\"company\":{%s\"name\":\"%s Ltd\"},"
                        + "\"address\":{\"city\":\"London\"},\"lifecycleStage\":\"customer\","
                        + "\"updatedAt\":\"2024-03-01T10:%02d:00+01:00\"}", id, id, version == 1 ? "Bench" : "Bench v" + version,
                        n / 10_000 % 1_000, n % 10_000, companyId, company(n), version % 60);
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nContent-Type: application/json\r\n"
                + "X-Event-Id: evt-" + id + "-v" + version + "\r\nContent-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Connection connection = idle.poll();
        try {
            if (connection == null) {
                connection = new Connection(url.getHost(), url.getPort());
            }
            Connection.Answer answer = connection.exchange(head, content);
            latencyMicros[i] = (System.nanoTime() - dueNanos) / 1_000;
            statuses[i] = answer.status();
            Matcher inboxId = INBOX_ID.matcher(answer.body());
            inboxIds[i] = inboxId.find() ? Long.parseLong(inboxId.group(1)) : -1;
            if (answer.keepAlive()) {
                idle.add(connection);
            } else {
                connection.close();
            }
        } catch (IOException | RuntimeException e) {
            latencyMicros[i] = (System.nanoTime() - dueNanos) / 1_000;
            statuses[i] = -1;
            if (firstFailure == null) {
                firstFailure = e.toString();
            }
            if (connection != null) {
                connection.close();
            }
        }
    }

    /**
     * One keep-alive HTTP/1.1 connection, used by one thread at a time: a request written whole,
     * its answer read by its
     * Content-Length or its chunks. A blocking socket per sender costs far less CPU per
     * request than the JDK's asynchronous HttpClient (about 2 ms of CPU per request here, as much
     * as the service spent applying the event), and this generator shares the machine with the
     * service it measures.
     */
    private static final class Connection {

        record Answer(int status, String body, boolean keepAlive) {
        }

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private byte[] buffer = new byte[4096];

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        Answer exchange(byte[] head, byte[] content) throws IOException {
            byte[] request = Arrays.copyOf(head, head.length + content.length);
            System.arraycopy(content, 0, request, head.length, content.length);
            out.write(request);
            out.flush();
            int length = 0;
            int headEnd;
            while ((headEnd = headEnd(length)) < 0) {
                length = fill(length);
            }
            String headers = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(headers.substring(9, 12));
            String lower = headers.toLowerCase(java.util.Locale.ROOT);
            boolean keepAlive = !lower.contains("\r\nconnection: close");
            int bodyStart = headEnd + 4;
            int at = lower.indexOf("\r\ncontent-length:");
            if (at >= 0) {
                int bodyLength = Integer.parseInt(lower.substring(at + 17, lower.indexOf("\r\n", at + 2)).trim());
                while (length < bodyStart + bodyLength) {
                    length = fill(length);
                }
                return new Answer(status, new String(buffer, bodyStart, bodyLength, StandardCharsets.UTF_8), keepAlive);
            }
            if (!lower.contains("\r\ntransfer-encoding: chunked")) {
                throw new IOException("an answer with neither Content-Length nor chunks: " + headers);
            }
            // Chunks: a hexadecimal size line, that many bytes, CRLF; a chunk of size 0 and an empty line end it.
            StringBuilder body = new StringBuilder();
            int position = bodyStart;
            while (true) {
                int lineEnd;
                while ((lineEnd = lineEnd(position, length)) < 0) {
                    length = fill(length);
                }
                String sizeLine = new String(buffer, position, lineEnd - position, StandardCharsets.ISO_8859_1);
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                position = lineEnd + 2;
                while (length < position + size + 2) {
                    length = fill(length);
                }
                if (size == 0) {
                    // No trailers are sent by the service: the empty line follows at once.
                    return new Answer(status, body.toString(), keepAlive);
                }
                body.append(new String(buffer, position, size, StandardCharsets.UTF_8));
                position += size + 2;
            }
        }

        private int lineEnd(int from, int length) {
            for (int i = from; i + 1 < length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private int headEnd(int length) {
            for (int i = 0; i + 3 < length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private int fill(int length) throws IOException {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                throw new IOException("the service closed the connection");
            }
            return length + read;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a broken connection: nothing left to do.
            }
        }
    }

    /** Two made-up words, different for every n (Jaro-Winkler far below the model's 0.92). */
    private static String company(long n) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(n * 0x9E3779B97F4A7C15L);
        StringBuilder name = new StringBuilder();
        for (int word = 0; word < 2; word++) {
            name.append(word == 0 ? "" : " ").append(Character.toUpperCase(CONSONANTS.charAt(random.nextInt(CONSONANTS.length()))));
            for (int syllable = 0; syllable < 3; syllable++) {
                name.append(VOWELS.charAt(random.nextInt(VOWELS.length())))
                        .append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())));
            }
        }
        return name.toString();
    }

    private void allocate(int total, int threads) {
        senders = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        });
        intendedMicros = new long[total];
        latencyMicros = new long[total];
        inboxIds = new long[total];
        statuses = new int[total];
    }

    private static void awaitAll(CompletableFuture<?>[] answers) throws InterruptedException {
        try {
            CompletableFuture.allOf(answers).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Failed requests are counted by their status (-1); the report says how many.
        }
    }

    private void report(int total, double elapsedSeconds) {
        int sent = total - measuredFrom;
        long accepted = Arrays.stream(statuses, measuredFrom, total).filter(status -> status == 202).count();
        long[] sorted = Arrays.copyOfRange(latencyMicros, measuredFrom, total);
        Arrays.sort(sorted);
        System.out.printf("generator: %d requests in %.1f s (%.0f/s), %d answered 202, %d otherwise;"
                        + " response time from due time p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                sent, elapsedSeconds, sent / elapsedSeconds, accepted, sent - accepted,
                percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0, sorted[sent - 1] / 1000.0);
        if (accepted < sent) {
            // -1: no answer (the first such failure is printed); 0: still unanswered when the generator gave up waiting.
            System.out.printf("generator: not 202 by status %s; first failure: %s%n", Arrays.stream(statuses, measuredFrom, total)
                    .filter(status -> status != 202).boxed()
                    .collect(java.util.stream.Collectors.groupingBy(status -> status, java.util.TreeMap::new,
                            java.util.stream.Collectors.counting())), firstFailure);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void write(Path file, int total) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (int i = measuredFrom; i < total; i++) {
                if (statuses[i] == 202 && inboxIds[i] > 0) {
                    out.println(inboxIds[i] + "," + intendedMicros[i]);
                }
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
