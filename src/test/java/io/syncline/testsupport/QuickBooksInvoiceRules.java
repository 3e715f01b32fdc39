package io.syncline.testsupport;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What QuickBooks Online checks and fills in on an Invoice, for {@link QuickBooksStub}, from Intuit's
 * "Invoice" entity reference and its error codes: an invoice must have {@code CustomerRef} and at least
 * one {@code Line}, each line its {@code DetailType} and {@code Amount}; a reference to a customer or
 * item the company does not have (or has made inactive) is refused with {@code 2500 Invalid Reference
 * Id}; each line is given an {@code Id} and a {@code LineNum}, the invoice its {@code TotalAmt},
 * {@code Balance}, {@code DocNumber} and {@code TxnDate}; and QuickBooks' answers carry a computed
 * {@code SubTotalLineDetail} line after the others, which it never keeps from a request.
 */
final class QuickBooksInvoiceRules {

    /** The members of Intuit's Invoice entity the stub knows (and the request-only {@code sparse}). */
    static final Set<String> MEMBERS = Set.of("Id", "SyncToken", "sparse", "domain", "MetaData", "CustomerRef", "Line",
            "DocNumber", "TxnDate", "DueDate", "PrivateNote", "CustomerMemo", "BillEmail", "BillAddr", "ShipAddr",
            "CurrencyRef", "SalesTermRef", "TotalAmt", "Balance", "EmailStatus", "PrintStatus", "ApplyTaxAfterDiscount",
            "TxnTaxDetail", "LinkedTxn", "CustomField");
    /** The members of an invoice's line. */
    static final Set<String> LINE_MEMBERS = Set.of("Id", "LineNum", "Description", "Amount", "DetailType",
            "SalesItemLineDetail", "SubTotalLineDetail", "DescriptionLineDetail", "DiscountLineDetail", "LinkedTxn");
    private static final String SUBTOTAL = "SubTotalLineDetail";

    private QuickBooksInvoiceRules() {
    }

    /**
     * Checks {@code invoice} as saved (a create, or the result of an update) and fills in what
     * QuickBooks computes; @return the fault it is refused with, or null when it is saved
     *
     * @param customer whether a customer Id names an active customer of the company
     * @param item     whether an item Id names an active item of the company
     */
    static QuickBooksStub.Answer save(Map<String, Object> invoice, Predicate<String> customer, Predicate<String> item,
            boolean created) {
        Object customerId = invoice.get("CustomerRef") instanceof Map<?, ?> ref ? ref.get("value") : null;
        if (customerId == null) {
            return missing("CustomerRef");
        }
        if (!customer.test(customerId.toString())) {
            return invalidReference("Names element id " + customerId + " not found", "CustomerRef");
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        if (invoice.get("Line") instanceof List<?> sent) {
            for (Object each : sent) {
                if (each instanceof Map<?, ?> line && !SUBTOTAL.equals(line.get("DetailType"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) line);
                    lines.add(copy);
                }
            }
        }
        if (lines.isEmpty()) {
            return missing("Line");
        }
        BigDecimal total = BigDecimal.ZERO;
        int nextId = lines.stream().map(line -> line.get("Id")).filter(id -> id != null && id.toString().matches("\\d+"))
                .mapToInt(id -> Integer.parseInt(id.toString())).max().orElse(0) + 1;
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> line = lines.get(i);
            for (String member : line.keySet()) {
                if (!LINE_MEMBERS.contains(member)) {
                    return QuickBooksStub.fault(400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                            "Property Name:Unrecognized field \"" + member + "\" specified is unsupported or invalid");
                }
            }
            if (line.get("DetailType") == null) {
                return missing("Line.DetailType");
            }
            if (line.get("Amount") == null) {
                return missing("Line.Amount");
            }
            if ("SalesItemLineDetail".equals(line.get("DetailType"))) {
                Object itemId = line.get("SalesItemLineDetail") instanceof Map<?, ?> detail
                        && detail.get("ItemRef") instanceof Map<?, ?> ref ? ref.get("value") : null;
                if (itemId == null || !item.test(itemId.toString())) {
                    return invalidReference("Line.SalesItemLineDetail.ItemRef", "Line.SalesItemLineDetail.ItemRef");
                }
            }
            line.putIfAbsent("Id", Integer.toString(nextId++));
            line.put("LineNum", i + 1);
            total = total.add(new BigDecimal(line.get("Amount").toString()));
        }
        invoice.put("Line", lines);
        invoice.put("TotalAmt", total);
        invoice.put("Balance", total);
        if (created) {
            invoice.putIfAbsent("DocNumber", Long.toString(1000 + (System.nanoTime() % 100_000)));
            invoice.putIfAbsent("TxnDate", LocalDate.now().toString());
        }
        return null;
    }

    /** The invoice as QuickBooks answers it: its lines, then the subtotal line it computes. */
    static Map<String, Object> answered(Map<String, Object> invoice) {
        Map<String, Object> answer = new LinkedHashMap<>(invoice);
        List<Object> lines = new ArrayList<>((List<?>) invoice.get("Line"));
        lines.add(Map.of("Amount", invoice.get("TotalAmt"), "DetailType", SUBTOTAL, SUBTOTAL, Map.of()));
        answer.put("Line", lines);
        return answer;
    }

    private static QuickBooksStub.Answer missing(String parameter) {
        return QuickBooksStub.fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required value"
                + " for the API", "Required parameter " + parameter + " is missing in the request");
    }

    private static QuickBooksStub.Answer invalidReference(String detail, String element) {
        return QuickBooksStub.fault(400, "ValidationFault", "2500", "Invalid Reference Id", "Invalid Reference Id : " + detail,
                element);
    }
}
