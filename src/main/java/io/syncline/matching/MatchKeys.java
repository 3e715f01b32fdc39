package io.syncline.matching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.syncline.mapping.transform.PhoneNumberReader;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

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
     * rule, and the same rows come back as candidates for many records: a phone costs a few µs to
     * read, a company name beyond ASCII a few µs to normalise, a memo hit a fraction of one (an
     * ASCII name is read in less than a look-up, and not memoised). Bounded.
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

    /** The ASCII digits of a text, in order ("+44 (20) 7946-0018" is "4420794600018"). */
    public static String digits(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    /** "ACME Corporation." and "acme corp" both become "acme". */
    public static String companyName(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        // Plain ASCII, nearly every name, is read in one pass, cheaper than a memo's look-up.
        String plain = asciiWords(text);
        String name = plain != null ? withoutLegalForms(plain) : COMPANY_KEYS.get(text, MatchKeys::normaliseCompanyName);
        return name.isEmpty() ? null : name;
    }

    /** Any name: compatibility decomposition, marks dropped, lower case, '&' as "and", words of letters and digits. */
    static String normaliseCompanyName(String value) {
        String plain = NOT_LETTER_OR_DIGIT.matcher(MARKS.matcher(Normalizer.normalize(value, Normalizer.Form.NFKD))
                .replaceAll("")
                .toLowerCase(Locale.ROOT)
                .replace("&", " and "))
                .replaceAll(" ")
                .strip();
        return withoutLegalForms(plain);
    }

    /**
     * {@link #normaliseCompanyName}'s words for a name all in ASCII, where decomposition and
     * marks change nothing: lower-case letters and digits, one space between words, '&' a word
     * "and"; {@code null} for a name with any other character.
     */
    static String asciiWords(String value) {
        StringBuilder words = new StringBuilder(value.length() + 4);
        boolean between = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128) {
                return null;
            }
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
                if (between && !words.isEmpty()) {
                    words.append(' ');
                }
                between = false;
                words.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            } else if (c == '&') {
                words.append(words.isEmpty() ? "and" : " and");
                between = true;
            } else {
                between = true;
            }
        }
        return words.toString();
    }

    /** The words without legal forms at their end ("acme ltd" is "acme"); a single word is kept. */
    private static String withoutLegalForms(String words) {
        String name = words;
        int space;
        while ((space = name.lastIndexOf(' ')) >= 0 && LEGAL_FORMS.contains(name.substring(space + 1))) {
            name = name.substring(0, space);
        }
        return name;
    }
}
