package io.syncline.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Bad and hostile requests to the webhook and the admin API, drawn from a seeded {@link Random}:
 * the same seed gives the same requests, so a failure is replayed with its seed. Each request
 * says what it is ({@link Request#what}), for the assertion that fails on it.
 */
final class HostileRequests {

    static final String WEBHOOK = "/webhooks/demo/contacts";
    static final String ADMIN_PASSWORD = "test-only-password";

    record Request(String what, String method, String path, Map<String, String> headers, byte[] body) {
    }

    private final Random random;
    private final List<Function<Random, Request>> kinds = new ArrayList<>();

    HostileRequests(long seed) {
        this.random = new Random(seed);
        kinds.add(this::badBody);
        kinds.add(this::badBody);
        kinds.add(this::badBody);
        kinds.add(this::badValue);
        kinds.add(this::badValue);
        kinds.add(this::badValue);
        kinds.add(this::badEncoding);
        kinds.add(this::badHeaders);
        kinds.add(this::badMethodOrPath);
        kinds.add(this::adminQuery);
        kinds.add(this::adminQuery);
        kinds.add(this::adminBody);
        kinds.add(this::adminCredentials);
    }

    Request next() {
        return kinds.get(random.nextInt(kinds.size())).apply(random);
    }

    // --- webhook ------------------------------------------------------------------------------

    private Request badBody(Random r) {
        String valid = contact("h-" + r.nextInt(1_000_000));
        String body = switch (r.nextInt(12)) {
            case 0 -> valid + valid;
            case 1 -> valid + " " + word(r, 1 + r.nextInt(20));
            case 2 -> valid.substring(0, r.nextInt(valid.length()));
            case 3 -> "[" + valid + "]";
            case 4 -> pick(r, "null", "true", "42", "\"text\"", "[]", "", "   ", "{}", "{,}", "{\"id\"}", "{'id':'x'}");
            case 5 -> "{\"id\":\"h-1\",\"x\":" + "[".repeat(1 + r.nextInt(80)) + "]".repeat(1 + r.nextInt(80)) + "}";
            case 6 -> "{\"id\":\"h-dup\",\"id\":\"h-dup2\",\"email\":\"d@example.com\"}";
            case 7 -> randomJunk(r, 1 + r.nextInt(300));
            case 8 -> valid.replace("\"id\"", "\"id\"\u0000");
            case 9 -> "{\"id\":\"h-" + r.nextInt(1000) + "\"," + "\"f\":1,".repeat(r.nextInt(2000)) + "\"z\":1}";
            case 10 -> "\u00ef\u00bb\u00bf" + valid;
            default -> "{\"id\":\"h-nest\",\"" + word(r, 300) + "\":1}";
        };
        return webhook("body: " + describe(body), body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private Request badValue(Random r) {
        String value = switch (r.nextInt(14)) {
            case 0 -> "\"" + word(r, 150 + r.nextInt(300)) + "\"";
            case 1 -> digits(r, 30 + r.nextInt(600));
            case 2 -> "-" + digits(r, 60 + r.nextInt(10)) + ".5e" + r.nextInt(999);
            case 3 -> "1e" + (300 + r.nextInt(10_000));
            case 4 -> "{\"a\":" + r.nextInt() + "}";
            case 5 -> "[\"h-" + r.nextInt() + "\"]";
            case 6 -> pick(r, "true", "false", "null", "0.5", "-0", "1E2");
            case 7 -> "\"a\\u0000b\"";
            case 8 -> "\"\\ud800" + word(r, 3) + "\"";
            case 9 -> "\"\\udc00\"";
            case 10 -> "\"" + "\u00e9\u4e2d\ud83d\ude00\u202e".repeat(1 + r.nextInt(60)) + "\"";
            case 11 -> "\"" + word(r, 1 + r.nextInt(10)) + "\\n\\t\\\\\\\"\"";
            case 12 -> "\"" + "x".repeat(131_000 + r.nextInt(200)) + "\"";
            default -> "\"\"";
        };
        String field = pick(r, "id", "email", "firstName", "lastName", "phone", "updatedAt", "lifecycleStage", "archived");
        String body = "{\"id\":\"h-" + r.nextInt(1_000_000) + "\",\"email\":\"v" + r.nextInt(1000)
                + "@example.com\",\"lastName\":\"V\",\"company\":{\"name\":" + value + "}";
        body = field.equals("id") ? "{\"id\":" + value + ",\"email\":\"i@example.com\",\"lastName\":\"I\"}"
                : body + ",\"" + field + "\":" + value + "}";
        return webhook("value of " + field + ": " + describe(value), body.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    private Request badEncoding(Random r) {
        String valid = contact("h-enc-" + r.nextInt(1_000_000));
        byte[] body = switch (r.nextInt(5)) {
            case 0 -> valid.getBytes(Charset.forName("UTF-16"));
            case 1 -> valid.getBytes(StandardCharsets.UTF_16LE);
            case 2 -> valid.getBytes(Charset.forName("UTF-32"));
            case 3 -> valid.replace("example", "ex\u00e4mple").getBytes(StandardCharsets.ISO_8859_1);
            default -> {
                byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
                bytes[1 + r.nextInt(bytes.length - 2)] = (byte) (0x80 + r.nextInt(0x7f));
                yield bytes;
            }
        };
        return webhook("encoding: " + body.length + " bytes", body, pick(r, "application/json",
                "application/json; charset=utf-16", "application/json; charset=latin1"));
    }

    private Request badHeaders(Random r) {
        Map<String, String> headers = new LinkedHashMap<>();
        String what;
        switch (r.nextInt(7)) {
            case 0 -> {
                headers.put("Authorization", pick(r, "Basic !!!", "Basic", "Basic =", "Bearer x.y.z",
                        "Basic " + java.util.Base64.getEncoder().encodeToString("proxy:secret".getBytes()),
                        "Digest username=\"x\"", word(r, 50)));
                what = "Authorization " + headers.get("Authorization");
            }
            case 1 -> {
                headers.put("X-Event-Id", word(r, 180 + r.nextInt(400)));
                what = "X-Event-Id of " + headers.get("X-Event-Id").length();
            }
            case 2 -> {
                headers.put("X-Event-Id", "");
                what = "empty X-Event-Id";
            }
            case 3 -> {
                headers.put("Content-Type", pick(r, "text/plain", "application/xml", "application/jsonp", "*/*",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "json", ";;;"));
                what = "Content-Type " + headers.get("Content-Type");
            }
            case 4 -> {
                headers.put("X-Padding", word(r, 4_000 + r.nextInt(8_000)));
                what = "a large unrelated header";
            }
            case 5 -> {
                headers.put("X-Signature", word(r, 100));
                headers.put("X-Hub-Signature-256", "sha256=" + word(r, 64));
                what = "signature headers the system does not use";
            }
            default -> {
                headers.put("Accept", pick(r, "text/html", "application/xml", "image/png", "*/*"));
                what = "Accept " + headers.get("Accept");
            }
        }
        headers.putIfAbsent("Content-Type", "application/json");
        return new Request("webhook headers: " + what, "POST", WEBHOOK, headers,
                contact("h-hdr-" + r.nextInt(1_000_000)).getBytes(StandardCharsets.UTF_8));
    }

    private Request badMethodOrPath(Random r) {
        String method = pick(r, "GET", "PUT", "DELETE", "PATCH", "POST", "OPTIONS", "HEAD");
        String path = pick(r, WEBHOOK, WEBHOOK + "/", WEBHOOK + "/x", "/webhooks/demo", "/webhooks/demo/%00",
                "/webhooks/demo/contacts%2F..%2Fx", "/" + word(r, 1 + r.nextInt(2_000)), "/q/" + word(r, 8),
                "/admin/" + word(r, 10), "/console/../admin/dead-letters", "/webhooks/demo/contacts?x=" + word(r, 100));
        return new Request(method + " " + shorten(path), method, path, Map.of("Content-Type", "application/json"),
                method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") ? null
                        : contact("h-path").getBytes(StandardCharsets.UTF_8));
    }

    // --- admin API ----------------------------------------------------------------------------

    private Request adminQuery(Random r) {
        String value = encode(pick(r, "bogus", "", "-1", "0", "1", "99999999999999999999", "abc", "P99999999999D",
                "PT-4H", "1y", "4h", "true", "TRUE", "maybe", "%00", "' OR 1=1 --", word(r, 300), "1e400",
                "NaN", digits(r, 400)));
        String path = switch (r.nextInt(12)) {
            case 0 -> "/admin/dead-letters?status=" + value;
            case 1 -> "/admin/dead-letters?limit=" + value;
            case 2 -> "/admin/dead-letters/" + value;
            case 3 -> "/admin/review-items?minAge=" + value;
            case 4 -> "/admin/review-items?kind=" + value + "&status=" + value;
            case 5 -> "/admin/review-items?limit=" + value;
            case 6 -> "/admin/review-items/" + value;
            case 7 -> "/admin/records/contact/" + value + "?by=" + value;
            case 8 -> "/admin/records/contact/h-no-such-record/current?system=billing&syncNow=" + value;
            case 9 -> "/admin/reconciliations/differences?run=" + value + "&bucket=" + value;
            case 10 -> "/admin/reconciliations/runs?limit=" + value;
            default -> "/admin/reconciliations/runs/" + value;
        };
        if (r.nextInt(10) == 0 && !value.isEmpty()) {
            path = path.replace(value, pick(r, "a%00b", "%00", "%ff%fe", "%ed%a0%80"));
        }
        return admin("GET " + shorten(path), "GET", path, null, null);
    }

    private Request adminBody(Random r) {
        String id = pick(r, "99999999999", "0", "-1", "abc");
        String body = switch (r.nextInt(10)) {
            case 0 -> "{\"fields\":{\"lastName\":{\"value\":" + digits(r, 65 + r.nextInt(400)) + "}}}";
            case 1 -> "{\"fields\":{\"lastName\":{\"value\":\"a\\u0000b\"}}}";
            case 2 -> "{\"createNew\":true}{\"createNew\":true}";
            case 3 -> "{\"candidate\":" + "[".repeat(50) + "]".repeat(50) + "}";
            case 4 -> "{bad";
            case 5 -> "";
            case 6 -> "[]";
            case 7 -> "{\"fields\":" + digits(r, 20) + "}";
            case 8 -> randomJunk(r, 200);
            default -> "{\"candidate\":\"" + word(r, 500) + "\"}";
        };
        String contentType = r.nextInt(5) == 0 ? pick(r, "text/plain", "application/xml", "") : "application/json";
        String path = pick(r, "/admin/review-items/" + id + "/resolve", "/admin/review-items/" + id + "/discard",
                "/admin/dead-letters/" + id + "/discard", "/admin/reconciliations/no-such-job-" + r.nextInt(99) + "/runs");
        return admin("POST " + path + " " + contentType + " " + describe(body), "POST", path, contentType,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private Request adminCredentials(Random r) {
        String authorization = pick(r, null, "Basic !!!", "Basic", "Basic " + base64("admin:wrong"),
                "Basic " + base64("admin"), "Basic " + base64(":"), "Bearer token", "Basic " + base64("nobody:" + word(r, 8)),
                "basic " + base64("admin:" + ADMIN_PASSWORD) + "!", word(r, 30));
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        String path = pick(r, "/admin/dead-letters", "/admin/review-items", "/admin/reconciliations", "/admin/x");
        return new Request("GET " + path + " with Authorization " + authorization, "GET", path, headers, null);
    }

    // --- helpers ------------------------------------------------------------------------------

    private static Request webhook(String what, byte[] body, String contentType) {
        return new Request("webhook " + what, "POST", WEBHOOK, Map.of("Content-Type", contentType), body);
    }

    private static Request admin(String what, String method, String path, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic " + base64("admin:" + ADMIN_PASSWORD));
        if (contentType != null && !contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
        return new Request("admin " + what, method, path, headers, body);
    }

    static String contact(String id) {
        return "{\"id\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"lastName\":\"Hostile\"}";
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static String word(Random r, int length) {
        StringBuilder word = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + r.nextInt(26)));
        }
        return word.toString();
    }

    private static String digits(Random r, int length) {
        StringBuilder digits = new StringBuilder(length);
        digits.append((char) ('1' + r.nextInt(9)));
        for (int i = 1; i < length; i++) {
            digits.append((char) ('0' + r.nextInt(10)));
        }
        return digits.toString();
    }

    private static String randomJunk(Random r, int length) {
        StringBuilder junk = new StringBuilder(length);
        String alphabet = "{}[]\":,\\ntfu0123456789.eE+- \t\r\nabc\u00e9\u4e2d";
        for (int i = 0; i < length; i++) {
            junk.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return junk.toString();
    }

    private static String describe(String text) {
        return text.length() + " chars, " + shorten(text);
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "…";
    }
}
