package io.syncline.connector.plaid;

import io.syncline.connector.rest.RestMappingSettings;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.failure.TargetUnavailableException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an Item's data: its transactions through {@code POST /transactions/sync}, its accounts
 * through {@code POST /accounts/get}.
 * <ul>
 *   <li>A poll of transactions goes on from the cursor the last one kept (none: the Item's whole
 *   history): each page's {@code added} and {@code modified} transactions are changes of the record,
 *   each of its {@code removed} a deletion ({@code {transaction_id, account_id}} with the mapping's
 *   deletion flag set), and the page's {@code next_cursor} is kept with them
 *   ({@link PageSink#accept(List, String)}), page after page while {@code has_more}. Plaid keeps no
 *   modification time: each record carries {@link #READ_AT}, when it was read, which the entity's
 *   {@code modifiedAt} maps.</li>
 *   <li>A full pull (reconciliation, backfill) reads the sync from the start to its end, the
 *   transactions added and modified; removed ones are not the Item's any more.</li>
 *   <li>Accounts are one answer, {@code accounts[]}.</li>
 * </ul>
 * Plaid's {@code RATE_LIMIT_EXCEEDED} is waited out and the page asked again, {@link #ATTEMPTS} times
 * at most; any other error ends the pull with Plaid's code and message.
 */
final class PlaidPuller implements RecordPuller {

    /** The member each record read carries: when Syncline read it from Plaid (ISO-8601). */
    static final String READ_AT = "read_at";
    static final String TRANSACTIONS = "transactions";
    static final String ACCOUNTS = "accounts";
    static final String SYNC = "/transactions/sync";
    static final String ACCOUNTS_GET = "/accounts/get";
    /** The most updates {@code /transactions/sync} hands out a page. */
    static final int MOST_A_PAGE = 500;
    static final int ATTEMPTS = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);

    private final PlaidApi api;
    private final Clock clock;

    PlaidPuller(PlaidApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** Transactions are read on from the sync's cursor. */
    @Override
    public boolean changesByPosition(PullRequest request) {
        return TRANSACTIONS.equals(resource(request));
    }

    @Override
    public PullResult pull(PullRequest request, PageSink sink) throws PullException {
        String resource = resource(request);
        RestTarget target = PlaidApi.target(request.systemName(), request.system(), request.mapping().key());
        try {
            if (ACCOUNTS.equals(resource)) {
                List<Map<String, Object>> accounts = stamped(PlaidSystemType.listed(
                        answer(target, ACCOUNTS_GET, Map.of()).get("accounts")));
                sink.accept(accounts);
                return PullResult.complete(1, accounts.size(), (long) accounts.size());
            }
            return sync(request, target, sink);
        } catch (PullException e) {
            throw e;
        } catch (Exception e) {
            throw new PullException(request.systemName() + ": " + e.getMessage(), e);
        }
    }

    private PullResult sync(PullRequest request, RestTarget target, PageSink sink) throws Exception {
        boolean changes = request.changes() != null;
        Object kept = changes && request.changes().after() != null ? request.changes().after().key() : null;
        String cursor = kept == null ? "" : kept.toString();
        String flag = request.mapping().delete() == null ? null : request.mapping().delete().flag();
        long pages = 0;
        long records = 0;
        boolean more = true;
        while (more) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cursor", cursor);
            body.put("count", Math.min(MOST_A_PAGE, Math.max(1, request.pageSize())));
            Map<String, Object> answer = answer(target, SYNC, body);
            List<Map<String, Object>> page = new ArrayList<>(PlaidSystemType.listed(answer.get("added")));
            page.addAll(PlaidSystemType.listed(answer.get("modified")));
            if (changes) {
                for (Map<String, Object> removed : PlaidSystemType.listed(answer.get("removed"))) {
                    Map<String, Object> deletion = new LinkedHashMap<>(removed);
                    if (flag != null) {
                        deletion.put(flag, true);
                    }
                    page.add(deletion);
                }
            }
            page = stamped(page);
            cursor = String.valueOf(answer.get("next_cursor"));
            more = Boolean.TRUE.equals(answer.get("has_more"));
            pages++;
            records += page.size();
            if (changes) {
                sink.accept(page, cursor);
            } else {
                sink.accept(page);
            }
        }
        return PullResult.complete(pages, records, null);
    }

    /** One call, Plaid's rate limit waited out (doubling pauses from half a second, or as Plaid's Retry-After says). */
    private Map<String, Object> answer(RestTarget target, String path, Map<String, Object> members) throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                return api.itemCall(target, path, members);
            } catch (TargetUnavailableException e) {
                if (attempt >= ATTEMPTS || e.status().orElse(0) != 429) {
                    throw e;
                }
                Thread.sleep(e.retryAfter().orElse(pause).toMillis());
                pause = pause.multipliedBy(2);
            }
        }
    }

    private List<Map<String, Object>> stamped(List<Map<String, Object>> records) {
        String now = clock.instant().toString();
        List<Map<String, Object>> stamped = new ArrayList<>(records.size());
        for (Map<String, Object> record : records) {
            Map<String, Object> copy = new LinkedHashMap<>(record);
            copy.put(READ_AT, now);
            stamped.add(copy);
        }
        return stamped;
    }

    static String resource(PullRequest request) {
        String resource = RestMappingSettings.of(request.mapping()).resource();
        return resource == null ? null : resource.replaceFirst("^/", "");
    }
}
