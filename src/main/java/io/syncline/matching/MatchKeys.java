package io.syncline.matching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.syncline.mapping.transform.PhoneNumberReader;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Normal forms that make messy copies of the same value compare equal. */
public final class MatchKeys {

    /** Legal-form words that say nothing about which company it is; dropped from the end of names. */
    private static final Set<String> LEGAL_FORMS = Set.of("corp", "corporation", "inc", "incorporated", "ltd",
            "limited", "llc", "plc", "gmbh", "co", "company", "sa", "ag", "bv", "srl", "pty");

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    /**
     * Keys of values seen before. Matching compares a record with up to 25 candidate rows per
     * rule, and the same rows come back as candidates for many records: a phone costs ~10 µs to
     * parse and a company name a few µs to normalise, a memo hit a fraction of one. Bounded.
     */
    private static final int MEMO_SIZE = 50_000;
    private static final String NOT_A_PHONE = "";
    private static final Cache<String, String> PHONE_KEYS = Caffeine.newBuilder().maximumSize(MEMO_SIZE).build();
    private static final Cache<String, String> COMPANY_KEYS = Caffeine.newBuilder().maximumSize(MEMO_SIZE).build();

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
        String key = PHONE_KEYS.get(defaultRegion + ' ' + value, text -> parsePhone(value.toString(), defaultRegion));
        return key.equals(NOT_A_PHONE) ? null : key;
    }

    private static String parsePhone(String text, String defaultRegion) {
        try {
            var number = PhoneNumberReader.forRegion(defaultRegion).read(text);
            return number != null ? PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : NOT_A_PHONE;
        } catch (NumberParseException e) {
            return NOT_A_PHONE;
        }
    }

    /** "ACME Corporation." and "acme corp" both become "acme". */
    public static String companyName(Object value) {
        if (value == null) {
            return null;
        }
        String name = COMPANY_KEYS.get(value.toString(), MatchKeys::normaliseCompanyName);
        return name.isEmpty() ? null : name;
    }

    private static String normaliseCompanyName(String value) {
        String plain = NOT_LETTER_OR_DIGIT.matcher(MARKS.matcher(Normalizer.normalize(value, Normalizer.Form.NFKD))
                        .replaceAll("")
                        .toLowerCase(Locale.ROOT)
                        .replace("&", " and "))
                .replaceAll(" ")
                .strip();
        String[] words = plain.split(" ");
        int end = words.length;
        while (end > 1 && LEGAL_FORMS.contains(words[end - 1])) {
            end--;
        }
        return Arrays.stream(words, 0, end).collect(Collectors.joining(" "));
    }
}
