package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libphonenumber's {@code parse} for the commonest texts, a number written in ASCII digits and the
 * usual separators, nationally ({@code 020 7946 0018}, {@code (212) 555-0123}) or after a plus
 * ({@code +44 20 7946 0018}, {@code +442079460018}), without the generic patterns {@code parse}
 * runs over any text first: three quarters of its 16 µs go to looking for extensions, RFC 3966
 * parameters, letters and punctuation. For such text they find nothing to change: no extension
 * form lacks a label ({@code ext}, {@code x}, {@code #}, {@code ;}, {@code ,,}), the separators
 * are dropped, and normalising keeps the digits alone. What is left is the regions' own part,
 * done here as {@code parse} does it:
 * <ul>
 * <li>after a plus, the country code is the first one to three digits that are one (none starts
 * with 0), and the national number is read by the rules of the code's main region;</li>
 * <li>without a plus, digits that begin with the default region's international prefix
 * ({@code 00}) or its country code ({@code 44…}) may be read as an international number: they
 * are not answered here;</li>
 * <li>the region's national prefix ({@code 0}, its own pattern) is stripped if present;</li>
 * <li>leading zeros left (Italy) are recorded as {@code parse} records them.</li>
 * </ul>
 * Only a number found valid is answered. {@code parse} keeps the national prefix when the number
 * without it is not of the region's general form or of a possible length; a valid number is both,
 * so there it strips the prefix as this does. Any other text, an invalid number, or a region whose
 * prefix is rewritten rather than stripped (NANPA islands, Argentina) gets {@code null}, and goes
 * through {@code parse} for its answer and its reason. {@code PlainNumberReaderTest} compares the
 * two on numbers of every region.
 */
final class PlainNumberReader {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** {@code parse} refuses longer text; so does this. */
    private static final int MAX_INPUT_LENGTH = 250;
    /** {@code parse}'s longest national significant number. */
    private static final int MAX_NATIONAL_LENGTH = 17;
    /** Country codes have one to three digits. */
    private static final int MAX_COUNTRY_CODE_LENGTH = 3;
    private static final Set<Integer> CALLING_CODES = PHONES.getSupportedCallingCodes();
    /** Each country code's national prefix, read once: empty when its main region rewrites it, or the code is non-geographic. */
    private static final Map<Integer, Optional<NationalPrefix>> BY_COUNTRY_CODE = new ConcurrentHashMap<>();

    private final PhoneValidity validity;
    /** The default region's country code and national prefix. */
    private final NationalPrefix defaultRegion;
    private final String countryCodeDigits;
    private final LeadingPattern internationalPrefix;

    private PlainNumberReader(PhoneValidity validity, NationalPrefix region, PhoneMetadata metadata) {
        this.validity = validity;
        this.defaultRegion = region;
        this.countryCodeDigits = Integer.toString(region.countryCode());
        this.internationalPrefix = LeadingPattern.of(metadata.getInternationalPrefix());
    }

    /** @return a reader, or {@code null} when the region rewrites its national prefix */
    static PlainNumberReader forRegion(String region, PhoneValidity validity) {
        PhoneMetadata metadata = metadata(region);
        return NationalPrefix.of(metadata).map(prefix -> new PlainNumberReader(validity, prefix, metadata)).orElse(null);
    }

    /** @return the valid number {@code parse} would give, or {@code null} when that is not proven here */
    PhoneNumber read(String text) {
        boolean plus = !text.isEmpty() && text.charAt(0) == '+';
        String digits = plainDigits(text, plus ? 1 : 0);
        // Three digits at least: parse takes two only if nothing separates them.
        if (digits == null || digits.length() < 3) {
            return null;
        }
        return plus ? readInternational(digits) : readNational(digits);
    }

    private PhoneNumber readNational(String digits) {
        if (digits.startsWith(countryCodeDigits) || internationalPrefix.length(digits) >= 0) {
            return null;
        }
        return valid(defaultRegion.number(digits));
    }

    private PhoneNumber readInternational(String digits) {
        if (digits.charAt(0) == '0') {
            return null;
        }
        for (int length = 1; length <= MAX_COUNTRY_CODE_LENGTH; length++) {
            int countryCode = Integer.parseInt(digits.substring(0, length));
            if (CALLING_CODES.contains(countryCode)) {
                NationalPrefix prefix = prefixOf(countryCode).orElse(null);
                return prefix == null ? null : valid(prefix.number(digits.substring(length)));
            }
        }
        return null;
    }

    private PhoneNumber valid(PhoneNumber number) {
        return number != null && validity.isValid(number) ? number : null;
    }

    private static Optional<NationalPrefix> prefixOf(int countryCode) {
        return BY_COUNTRY_CODE.computeIfAbsent(countryCode, code -> {
            String region = PHONES.getRegionCodeForCountryCode(code);
            // Non-geographic codes (800, 808, 870…) keep their metadata elsewhere; left to parse.
            return PHONES.getSupportedRegions().contains(region) ? NationalPrefix.of(metadata(region)) : Optional.empty();
        });
    }

    private static PhoneMetadata metadata(String region) {
        return DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource().getMetadataForRegion(region);
    }

    /** The digits of text made only of ASCII digits, spaces and {@code -().} from {@code from} on; else {@code null}. */
    private static String plainDigits(String text, int from) {
        if (text.length() > MAX_INPUT_LENGTH) {
            return null;
        }
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
                return null;
            }
        }
        return digits.toString();
    }

    /** A region's country code and the national prefix its numbers may be dialled with, as parse strips it. */
    private record NationalPrefix(int countryCode, LeadingPattern pattern) {

        static Optional<NationalPrefix> of(PhoneMetadata metadata) {
            if (!metadata.getNationalPrefixTransformRule().isEmpty()) {
                return Optional.empty();
            }
            String prefix = metadata.getNationalPrefixForParsing();
            return Optional.of(new NationalPrefix(metadata.getCountryCode(), prefix.isEmpty() ? null : LeadingPattern.of(prefix)));
        }

        /** The number the digits after the country code stand for, or {@code null} if of no possible length. */
        PhoneNumber number(String digits) {
            String national = digits;
            int prefixLength = pattern == null ? -1 : pattern.length(digits);
            if (prefixLength >= 0) {
                national = digits.substring(prefixLength);
            }
            if (national.length() < 2 || national.length() > MAX_NATIONAL_LENGTH) {
                return null;
            }
            PhoneNumber number = new PhoneNumber().setCountryCode(countryCode);
            recordLeadingZeros(national, number);
            return number.setNationalNumber(Long.parseLong(national));
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

    /**
     * A prefix pattern of the metadata, matched at the start of the digits as {@code lookingAt} does.
     * Most are a plain run of digits ({@code 0}, {@code 00}, {@code 011}): those are compared as
     * text, without a matcher per number.
     */
    private record LeadingPattern(String literal, Pattern pattern) {

        private static final Pattern DIGITS = Pattern.compile("[0-9]+");

        static LeadingPattern of(String regex) {
            return DIGITS.matcher(regex).matches() ? new LeadingPattern(regex, null) : new LeadingPattern(null, Pattern.compile(regex));
        }

        /** @return the length of the match at the start of {@code digits}, or -1 when there is none */
        int length(String digits) {
            if (literal != null) {
                return digits.startsWith(literal) ? literal.length() : -1;
            }
            Matcher matcher = pattern.matcher(digits);
            return matcher.lookingAt() ? matcher.end() : -1;
        }
    }
}
