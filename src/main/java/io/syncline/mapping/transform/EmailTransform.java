package io.syncline.mapping.transform;

import java.util.Locale;

/**
 * {@code email}: trimmed and lower-case. The check is deliberately only the shape
 * {@code local@domain.tld}: one {@code @}, no whitespace, a domain of at least two dot-separated
 * labels. Full RFC 5322 validation would accept addresses no mail system delivers and still not
 * prove that the mailbox exists; the shape catches the common mistakes (a name or phone number
 * in the email field, a missing domain). Blank text is no address at all and becomes {@code null}.
 */
final class EmailTransform extends NormalisingTransform {

    /** Applied on the way out too: {@code uppercase} on a target's mapping means the target gets upper case. */
    @Override
    public Object toSystem(Object value, TransformContext context) {
        return value == null ? null : normalise(value, context);
    }

    @Override
    protected Object normalise(Object value, TransformContext context) {
        String address = Coercions.text(value, context, Direction.TO_CANONICAL, "email")
                .strip()
                .toLowerCase(Locale.ROOT);
        if (address.isEmpty()) {
            return null;
        }
        if (!hasAddressShape(address)) {
            throw new InvalidEmailException(context, Direction.TO_CANONICAL, value);
        }
        return address;
    }

    /**
     * {@code [^@\s]+@[^@\s.]+(\.[^@\s.]+)+} as a scan: the regex ran for every record and cost as
     * much as the rest of the transformer's text handling.
     */
    static boolean hasAddressShape(String address) {
        int at = address.indexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return false;
        }
        int labels = 0;
        int labelLength = 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || (c == '@' && i != at)) {
                return false;
            }
            if (i > at) {
                if (c == '.') {
                    if (labelLength == 0) {
                        return false;
                    }
                    labels++;
                    labelLength = 0;
                } else {
                    labelLength++;
                }
            }
        }
        return labelLength > 0 && labels >= 1;
    }
}
