package io.syncline.mapping.transform;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code email}: trimmed and lower-case. The check is deliberately only the shape
 * {@code local@domain.tld}: one {@code @}, no whitespace, a domain of at least two dot-separated
 * labels. Full RFC 5322 validation would accept addresses no mail system delivers and still not
 * prove that the mailbox exists; the shape catches the common mistakes (a name or phone number
 * in the email field, a missing domain). Blank text is no address at all and becomes {@code null}.
 */
final class EmailTransform extends NormalisingTransform {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    static EmailTransform create(Object parameters) {
        TransformParameters.requireNone("email", parameters);
        return new EmailTransform();
    }

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
        if (!ADDRESS.matcher(address).matches()) {
            throw new InvalidEmailException(context, Direction.TO_CANONICAL, value);
        }
        return address;
    }
}
