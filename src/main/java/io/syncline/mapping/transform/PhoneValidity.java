package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * libphonenumber's {@code isValidNumber}, with most of its pattern matching spared for a valid
 * number of the default region. {@code isValidNumber} first finds the number's region: for a
 * country code shared by several regions (44: GB, GG, IM, JE), it tries the candidates in order,
 * taking one whose leading digits match or, if it has none, whose number-type patterns match.
 * Then it runs the found region's number-type patterns again. When the default region is the only
 * candidate, or the first and one without leading digits, its own patterns are the ones tried
 * first: if they match, it is the region found and the answer is yes, after one run of them.
 * A no proves nothing (a GB transform reading a Jersey number), so it goes through
 * {@code isValidNumber}, as does every number when the default region is not tried first.
 * <p>
 * That one run is {@code isValidNumberForRegion}'s, done here with the region's patterns compiled
 * once and the commonest types tried first: it asks whether the number fits the region's general
 * pattern and then any of ten type patterns, in an order that makes a fixed-line number, the
 * commonest, match last. The order changes which type is found, never whether one is.
 */
final class PhoneValidity {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final int countryCode;
    /** {@code null} when the default region is not tried first. */
    private final NumberPattern general;
    private final List<NumberPattern> types;

    private PhoneValidity(int countryCode, NumberPattern general, List<NumberPattern> types) {
        this.countryCode = countryCode;
        this.general = general;
        this.types = types;
    }

    /** @param region a region libphonenumber supports */
    static PhoneValidity forRegion(String region) {
        int countryCode = PHONES.getCountryCodeForRegion(region);
        List<String> candidates = PHONES.getRegionCodesForCountryCode(countryCode);
        PhoneMetadata metadata = DefaultMetadataDependenciesProvider.getInstance()
                .getPhoneNumberMetadataSource().getMetadataForRegion(region);
        if (!candidates.get(0).equals(region) || candidates.size() > 1 && metadata.hasLeadingDigits()) {
            return new PhoneValidity(countryCode, null, List.of());
        }
        List<NumberPattern> types = Stream.of(metadata.getFixedLine(), metadata.getMobile(), metadata.getTollFree(),
                metadata.getPremiumRate(), metadata.getSharedCost(), metadata.getVoip(),
                metadata.getPersonalNumber(), metadata.getPager(), metadata.getUan(), metadata.getVoicemail())
                .map(NumberPattern::of).toList();
        return new PhoneValidity(countryCode, NumberPattern.of(metadata.getGeneralDesc()), types);
    }

    boolean isValid(PhoneNumber number) {
        if (general != null && number.getCountryCode() == countryCode
                && isValidForRegion(PHONES.getNationalSignificantNumber(number))) {
            return true;
        }
        return PHONES.isValidNumber(number);
    }

    /** {@code isValidNumberForRegion} for a number of the region's country code. */
    private boolean isValidForRegion(String nationalNumber) {
        if (!general.matches(nationalNumber)) {
            return false;
        }
        for (NumberPattern type : types) {
            if (type.matches(nationalNumber)) {
                return true;
            }
        }
        return false;
    }

    /** One of the region's number descriptions, as {@code isNumberMatchingDesc} reads it. */
    private record NumberPattern(List<Integer> possibleLengths, Pattern pattern) {

        static NumberPattern of(PhoneNumberDesc desc) {
            String pattern = desc.getNationalNumberPattern();
            return new NumberPattern(List.copyOf(desc.getPossibleLengthList()),
                    pattern.isEmpty() ? null : Pattern.compile(pattern));
        }

        boolean matches(String nationalNumber) {
            if (!possibleLengths.isEmpty() && !possibleLengths.contains(nationalNumber.length())) {
                return false;
            }
            return pattern != null && pattern.matcher(nationalNumber).matches();
        }
    }
}
