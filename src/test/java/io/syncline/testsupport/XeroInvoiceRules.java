package io.syncline.testsupport;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * What Xero checks and fills in on an invoice, for {@link XeroStub}, from Xero's Invoices
 * documentation: an invoice has a {@code Type} and a {@code Contact} the organisation has (by its
 * {@code ContactID}); each line item a {@code Description} unless it names an {@code ItemCode}. An
 * update that carries {@code LineItems} replaces the lines whole: a line naming a
 * {@code LineItemID} of the invoice is that line, updated; one without is a new line, given its
 * own; a line of the invoice the update leaves out is deleted. Xero numbers a new invoice
 * ({@code INV-0001}), makes it a {@code DRAFT} unless a status is sent, answers its contact with
 * the contact's name and computes each line's {@code LineAmount} and the totals.
 */
final class XeroInvoiceRules {

    private XeroInvoiceRules() {
    }

    /**
     * Checks {@code merged} (the invoice as saved: {@code existing} with {@code sent} laid over it)
     * and fills in what Xero computes; @return Xero's validation messages, none when it is saved
     *
     * @param contacts the organisation's contacts by ContactID
     * @param number   the number of a new invoice
     */
    static List<String> save(Map<String, Object> merged, Map<String, Object> existing, Map<String, Object> sent,
            Function<String, Map<String, Object>> contacts, int number) {
        List<String> problems = new ArrayList<>();
        if (merged.get("Type") == null) {
            problems.add("Invoice Type must be specified.");
        }
        Object contactId = merged.get("Contact") instanceof Map<?, ?> contact ? contact.get("ContactID") : null;
        Map<String, Object> contact = contactId == null ? null : contacts.apply(contactId.toString());
        if (contactId == null) {
            problems.add("Contact cannot be empty.");
        } else if (contact == null) {
            problems.add("The Contact with ContactID " + contactId + " could not be found.");
        }
        List<Map<String, Object>> lines = lines(existing, sent, problems);
        if (!problems.isEmpty()) {
            return problems;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> line : lines) {
            if (line.get("Quantity") != null && line.get("UnitAmount") != null) {
                BigDecimal amount = new BigDecimal(line.get("Quantity").toString()).multiply(new BigDecimal(line.get("UnitAmount")
                        .toString())).setScale(2, RoundingMode.HALF_UP);
                line.put("LineAmount", amount);
                total = total.add(amount);
            }
        }
        merged.put("LineItems", lines);
        merged.put("Contact", Map.of("ContactID", contactId, "Name", String.valueOf(contact.get("Name"))));
        merged.put("SubTotal", total);
        merged.put("Total", total);
        merged.put("AmountDue", total);
        merged.putIfAbsent("Status", "DRAFT");
        merged.putIfAbsent("InvoiceNumber", String.format("INV-%04d", number));
        return List.of();
    }

    /** The invoice's lines after the write: those sent, by LineItemID where they name one; else the existing ones. */
    private static List<Map<String, Object>> lines(Map<String, Object> existing, Map<String, Object> sent, List<String> problems) {
        List<Map<String, Object>> kept = new ArrayList<>();
        Object source = sent.containsKey("LineItems") ? sent.get("LineItems") : existing == null ? null : existing.get("LineItems");
        if (!(source instanceof List<?> given)) {
            return kept;
        }
        Map<String, Map<String, Object>> before = new LinkedHashMap<>();
        if (existing != null && existing.get("LineItems") instanceof List<?> old) {
            for (Object line : old) {
                if (line instanceof Map<?, ?> map) {
                    before.put(String.valueOf(map.get("LineItemID")), copy(map));
                }
            }
        }
        for (Object each : given) {
            if (!(each instanceof Map<?, ?> map)) {
                continue;
            }
            Object id = map.get("LineItemID");
            Map<String, Object> line = id != null && before.containsKey(id.toString()) ? before.get(id.toString()) : new LinkedHashMap<>();
            line.putAll(copy(map));
            line.putIfAbsent("LineItemID", UUID.randomUUID().toString());
            if (line.get("Description") == null && line.get("ItemCode") == null) {
                problems.add("The description field is mandatory for each line item.");
            }
            kept.add(line);
        }
        return kept;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<?, ?> map) {
        return new LinkedHashMap<>((Map<String, Object>) map);
    }
}
