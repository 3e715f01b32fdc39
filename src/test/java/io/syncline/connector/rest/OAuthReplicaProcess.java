package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.model.SecretRef;
import io.syncline.store.TokenCipher;
import io.syncline.testsupport.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One application instance's OAuth tokens ({@link AuthorizationCodeTokens} over a pool of its own
 * on the state store) in a JVM of its own: two of them, or one after another, share nothing but
 * the database and the provider, as two replicas or a restart do. The test drives it over its
 * standard input, one request per line ({@code token <hours after the start> <callers>}), and
 * reads the answer line ({@code tokens <token> ...}, or {@code failed <why>}); the JVM's other
 * output goes to {@code target/<name>.log}.
 */
final class OAuthReplicaProcess implements AutoCloseable {

    static final String SYSTEM = "quickbooks";
    static final Instant START = Instant.parse("2024-03-01T09:00:00Z");
    private static final String ANSWER = "answer ";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;

    private OAuthReplicaProcess(Process process) {
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a replica on {@code store} against the token endpoint at {@code tokenUrl}, with
     * {@code seed} as the system's {@code auth.refreshToken} variable and {@code key} as the key
     * that seals tokens at rest.
     */
    static OAuthReplicaProcess start(String name, String storeUrl, String tokenUrl, String authorizationUrl, String seed,
            String key) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(OAuthReplicaProcess.class,
                storeUrl, tokenUrl, authorizationUrl, seed, key));
        builder.redirectError(Path.of("target", name + ".log").toFile());
        return new OAuthReplicaProcess(builder.start());
    }

    /** The access tokens that {@code callers} concurrent callers got at {@code hours} after the start. */
    List<String> tokens(int hours, int callers) throws Exception {
        request(hours, callers);
        return answer();
    }

    /** Sends the request without waiting: {@link #answer} reads what it got. */
    void request(int hours, int callers) throws IOException {
        requests.write("token " + hours + " " + callers + "\n");
        requests.flush();
    }

    List<String> answer() throws Exception {
        String line = CompletableFuture.supplyAsync(this::answerLine)
                .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String[] words = line.split(" ");
        if (!words[0].equals("tokens")) {
            throw new AssertionError("the replica (pid " + process.pid() + ") answered: " + line);
        }
        return Arrays.asList(words).subList(1, words.length);
    }

    private String answerLine() {
        try {
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                if (line.startsWith(ANSWER)) {
                    return line.substring(ANSWER.length());
                }
            }
            return "failed: the replica (pid " + process.pid() + ") exited with " + process.waitFor();
        } catch (IOException e) {
            return "failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "failed: interrupted";
        }
    }

    /** Stops the replica's JVM: a restart, or the end of the test. */
    @Override
    public void close() throws InterruptedException {
        try {
            requests.close();
        } catch (IOException e) {
            // it has gone already
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static RestSettings.Auth auth(String tokenUrl, String authorizationUrl) {
        return new RestSettings.Auth(RestSettings.AuthType.OAUTH2_AUTHORIZATION_CODE, null, null, null, null, null,
                tokenUrl, new SecretRef("QBO_CLIENT_ID", null), new SecretRef("QBO_CLIENT_SECRET", null),
                "com.intuit.quickbooks.accounting", null, null, authorizationUrl, new SecretRef("QBO_REFRESH_TOKEN", null), null);
    }

    /** The replica's JVM: {@code storeUrl tokenUrl authorizationUrl seed key}. */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        // only answers on standard output; anything a library prints goes with the log
        System.setOut(System.err);
        String storeUrl = args[0];
        RestSettings.Auth auth = auth(args[1], args[2]);
        Map<String, String> variables = new HashMap<>(Map.of(
                "QBO_CLIENT_ID", io.syncline.testsupport.IntuitOAuthStub.CLIENT_ID,
                "QBO_CLIENT_SECRET", io.syncline.testsupport.IntuitOAuthStub.CLIENT_SECRET,
                "QBO_REFRESH_TOKEN", args[3]));
        String key = args[4];
        HttpTargetClientTest.MutableClock clock = new HttpTargetClientTest.MutableClock();
        clock.advance(Duration.between(clock.instant(), START));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService callers = Executors.newCachedThreadPool();
        try (AgroalDataSource pool = OAuthStateStore.at(storeUrl).replica()) {
            AuthorizationCodeTokens tokens = new AuthorizationCodeTokens(http, Duration.ofSeconds(10), variables::get,
                    new ObjectMapper(), clock, new OAuthGrantRepository(pool, clock), () -> TokenCipher.of(key));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] request = line.split(" ");
                clock.advance(Duration.between(clock.instant(), START.plus(Duration.ofHours(Integer.parseInt(request[1])))));
                out.println(ANSWER + call(tokens, auth, Integer.parseInt(request[2]), callers));
                out.flush();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** {@code count} callers asking at once (started together); "tokens ..." or "failed ...". */
    private static String call(AuthorizationCodeTokens tokens, RestSettings.Auth auth, int count, ExecutorService callers) {
        CyclicBarrier start = new CyclicBarrier(count);
        List<Future<String>> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<String> caller = () -> {
                start.await(10, TimeUnit.SECONDS);
                return tokens.token(SYSTEM, auth);
            };
            got.add(callers.submit(caller));
        }
        StringBuilder answer = new StringBuilder("tokens");
        try {
            for (Future<String> token : got) {
                answer.append(' ').append(token.get(30, TimeUnit.SECONDS));
            }
            return answer.toString();
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "failed " + cause.toString().replace('\n', ' ');
        }
    }
}
