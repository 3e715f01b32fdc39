package io.syncline.testsupport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Stripe account's invoices for {@link StripeStub}, as Stripe's reference documents the invoice
 * object and its lists: an invoice ({@code in_…}) names its {@code customer}, and embeds the first
 * page of its line items ({@code lines: {object: "list", data: […ten at most], has_more, total_count,
 * url: "/v1/invoices/in_…/lines"}}), each line ({@code il_…}) with its {@code description},
 * {@code amount}, {@code quantity} and {@code price}. {@code GET /v1/invoices} lists invoices newest
 * first ({@code limit}, {@code starting_after}, {@code has_more}); {@code GET /v1/invoices/{id}} is one;
 * {@code GET /v1/invoices/{id}/lines} pages its lines the same way. {@code POST /v1/invoices} creates a
 * draft invoice of a {@code customer} with no lines (Stripe pulls in pending invoice items only when
 * asked to, and adds lines through {@code /v1/invoiceitems}, which the stub does not serve);
 * {@code POST /v1/invoices/{id}} changes its {@code description} and {@code metadata}.
 */
final class StripeInvoices {

    /** Lines an invoice embeds: Stripe's default page of a list inside an object. */
    static final int EMBEDDED_LINES = 10;

    private final Map<String, Map<String, Object>> invoices = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> lines = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    /** A new open invoice of {@code customer} with {@code count} lines, line i of {@code i + 1} × 10.00 of a price. */
    Map<String, Object> add(String customer, String description, int count) {
        long n = sequence.incrementAndGet();
        String id = "in_" + Long.toString(System.nanoTime(), 36) + n;
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", "il_" + Long.toString(System.nanoTime(), 36) + n + "x" + i);
            line.put("object", "line_item");
            line.put("amount", (i + 1) * 1000);
            line.put("currency", "eur");
            line.put("description", description + " line " + i);
            line.put("quantity", i + 1);
            line.put("price", Map.of("id", "price_" + i, "object", "price", "unit_amount", 1000));
            line.put("type", "invoiceitem");
            items.add(line);
        }
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", id);
        invoice.put("object", "invoice");
        invoice.put("customer", customer);
        invoice.put("number", "SYN-" + String.format("%04d", n));
        invoice.put("status", "open");
        invoice.put("created", Instant.now().getEpochSecond());
        invoice.put("total", items.stream().mapToInt(line -> (Integer) line.get("amount")).sum());
        invoices.put(id, invoice);
        lines.put(id, items);
        order.add(0, id);
        return view(id);
    }

    /** {@code POST /v1/invoices}: a new draft invoice of {@code customer}, of no lines, with the form's other members. */
    Map<String, Object> create(String customer, Map<String, String> form, java.util.function.BiConsumer<Map<String, Object>, Map<String, String>> apply) {
        long n = sequence.incrementAndGet();
        String id = "in_" + Long.toString(System.nanoTime(), 36) + n;
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", id);
        invoice.put("object", "invoice");
        invoice.put("customer", customer);
        invoice.put("number", null); // Stripe numbers an invoice when it is finalized
        invoice.put("status", "draft");
        invoice.put("created", Instant.now().getEpochSecond());
        invoice.put("total", 0);
        invoice.put("metadata", new LinkedHashMap<>());
        Map<String, String> rest = new LinkedHashMap<>(form);
        rest.remove("customer");
        apply.accept(invoice, rest);
        invoices.put(id, invoice);
        lines.put(id, new CopyOnWriteArrayList<>());
        order.add(0, id);
        return view(id);
    }

    /** {@code POST /v1/invoices/{id}}: the form's members applied; null when there is no such invoice. */
    Map<String, Object> update(String id, Map<String, String> form, java.util.function.BiConsumer<Map<String, Object>, Map<String, String>> apply) {
        Map<String, Object> invoice = invoices.get(id);
        if (invoice == null) {
            return null;
        }
        apply.accept(invoice, form);
        return view(id);
    }

    /** The invoice as Stripe answers and sends it: its first page of lines embedded; null when there is none. */
    Map<String, Object> view(String id) {
        Map<String, Object> invoice = invoices.get(id);
        if (invoice == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>(invoice);
        view.put("lines", page(linesUrl(id), lines.get(id), null, EMBEDDED_LINES, true));
        return view;
    }

    /** {@code GET /v1/invoices}: newest first; null when {@code starting_after} names no invoice. */
    Map<String, Object> list(int limit, String after) {
        List<Map<String, Object>> all = order.stream().map(this::view).toList();
        return page(StripeStub.INVOICES, all, after, limit, false);
    }

    /** {@code GET /v1/invoices/{id}/lines}; null when there is no such invoice or line to start after. */
    Map<String, Object> lines(String id, int limit, String after) {
        List<Map<String, Object>> items = lines.get(id);
        return items == null ? null : page(linesUrl(id), items, after, limit, true);
    }

    private static String linesUrl(String id) {
        return StripeStub.INVOICES + "/" + id + "/lines";
    }

    /**
     * One page of a Stripe list at {@code url}: {@code limit} records after the one whose id is
     * {@code after}, with {@code has_more} (and {@code total_count} where {@code counted}); null when
     * {@code after} names none of them.
     */
    static Map<String, Object> page(String url, List<Map<String, Object>> all, String after, int limit, boolean counted) {
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (after.equals(all.get(i).get("id"))) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                return null;
            }
        }
        int end = Math.min(all.size(), start + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", List.copyOf(all.subList(start, end)));
        page.put("has_more", end < all.size());
        if (counted) {
            page.put("total_count", all.size());
        }
        page.put("url", url);
        return page;
    }
}
