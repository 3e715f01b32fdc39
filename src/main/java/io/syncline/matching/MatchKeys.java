package io.syncline.matching;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Normal forms that make messy copies of the same value compare equal. */
public final class MatchKeys {

    /** Legal-form words that say nothing about which company it is; dropped from the end of names. */
    private static final Set<String> LEGAL_FORMS = Set.of("corp", "corporation", "inc", "incorporated", "ltd",
            "limited", "llc", "plc", "gmbh", "co", "company", "sa", "ag", "bv", "srl", "pty");

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private MatchKeys() {
    }

    public static String email(Object value) {
        if (value == null) {
            return null;
        }
        String email = value.toString().strip().toLowerCase(Locale.ROOT);
        return email.isEmpty() ? null : email;
    }

    /** E.164, or null when the value is not a valid number for the region. */
    public static String phone(Object value, String defaultRegion) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            var number = PHONES.parse(value.toString(), defaultRegion);
            return PHONES.isValidNumber(number) ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** "ACME Corporation." and "acme corp" both become "acme". */
    public static String companyName(Object value) {
        if (value == null) {
            return null;
        }
        String plain = Normalizer.normalize(value.toString(), Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replace("&", " and ")
                .replaceAll("[^\\p{L}\\p{N}]+", " ")
                .strip();
        String[] words = plain.split(" ");
        int end = words.length;
        while (end > 1 && LEGAL_FORMS.contains(words[end - 1])) {
            end--;
        }
        String name = Arrays.stream(words, 0, end).collect(Collectors.joining(" "));
        return name.isEmpty() ? null : name;
    }
}
