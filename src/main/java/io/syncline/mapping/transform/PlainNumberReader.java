package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;

import java.util.regex.Pattern;

/**
 * libphonenumber's {@code parse} for the commonest text, a number written nationally in ASCII
 * digits and the usual separators ({@code 020 7946 0018}, {@code (212) 555-0123}), without the
 * generic patterns {@code parse} runs over any text first: three quarters of its 16 µs go to
 * looking for extensions, RFC 3966 parameters, letters and punctuation. For such text they find
 * nothing to change: no extension form lacks a label ({@code ext}, {@code x}, {@code #},
 * {@code ;}, {@code ,,}), the leading and trailing separators are dropped, and normalising keeps
 * the digits alone. What is left is the region's own part, done here as {@code parse} does it:
 * <ul>
 * <li>digits that begin with the region's international prefix ({@code 00}) or its country code
 * ({@code 44…}) may be read as an international number: not answered here;</li>
 * <li>the national prefix ({@code 0}, the region's own pattern) is stripped if present;</li>
 * <li>leading zeros left (Italy) are recorded as {@code parse} records them.</li>
 * </ul>
 * Only a number found valid is answered. {@code parse} keeps the national prefix when the number
 * without it is not of the region's general form or of a possible length; a valid number is both,
 * so there it strips the prefix as this does. Any other text, an invalid number, or a region whose
 * prefix is rewritten rather than stripped (NANPA islands, Argentina) gets {@code null}, and goes
 * through {@code parse} for its answer and its reason. {@code PlainNumberReaderTest} compares the
 * two on numbers of many regions.
 */
final class PlainNumberReader {

    /** {@code parse} refuses longer text; so does this. */
    private static final int MAX_INPUT_LENGTH = 250;
    /** {@code parse}'s longest national significant number. */
    private static final int MAX_NATIONAL_LENGTH = 17;

    private final PhoneValidity validity;
    private final int countryCode;
    private final String countryCodeDigits;
    private final Pattern internationalPrefix;
    private final Pattern nationalPrefix;

    private PlainNumberReader(PhoneValidity validity, PhoneMetadata metadata) {
        this.validity = validity;
        this.countryCode = metadata.getCountryCode();
        this.countryCodeDigits = Integer.toString(countryCode);
        this.internationalPrefix = Pattern.compile(metadata.getInternationalPrefix());
        String prefix = metadata.getNationalPrefixForParsing();
        this.nationalPrefix = prefix.isEmpty() ? null : Pattern.compile(prefix);
    }

    /** @return a reader, or {@code null} when the region rewrites its national prefix */
    static PlainNumberReader forRegion(String region, PhoneValidity validity) {
        PhoneMetadata metadata = DefaultMetadataDependenciesProvider.getInstance()
                .getPhoneNumberMetadataSource().getMetadataForRegion(region);
        return metadata.getNationalPrefixTransformRule().isEmpty() ? new PlainNumberReader(validity, metadata) : null;
    }

    /** @return the valid number {@code parse} would give, or {@code null} when that is not proven here */
    PhoneNumber read(String text) {
        String digits = plainDigits(text);
        // Three digits at least: parse takes two only if nothing separates them.
        if (digits == null || digits.length() < 3 || digits.startsWith(countryCodeDigits)
                || internationalPrefix.matcher(digits).lookingAt()) {
            return null;
        }
        String national = digits;
        if (nationalPrefix != null) {
            var prefix = nationalPrefix.matcher(digits);
            if (prefix.lookingAt()) {
                national = digits.substring(prefix.end());
            }
        }
        if (national.length() < 2 || national.length() > MAX_NATIONAL_LENGTH) {
            return null;
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(countryCode);
        recordLeadingZeros(national, number);
        number.setNationalNumber(Long.parseLong(national));
        return validity.isValid(number) ? number : null;
    }

    /** The digits of text made only of ASCII digits, spaces and {@code -().}; else {@code null}. */
    private static String plainDigits(String text) {
        if (text.length() > MAX_INPUT_LENGTH) {
            return null;
        }
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
                return null;
            }
        }
        return digits.toString();
    }

    /** As {@code PhoneNumberUtil.setItalianLeadingZerosForPhoneNumber}, which is not public. */
    private static void recordLeadingZeros(String national, PhoneNumber number) {
        if (national.length() > 1 && national.charAt(0) == '0') {
            number.setItalianLeadingZero(true);
            int zeros = 1;
            while (zeros < national.length() - 1 && national.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
    }
}
