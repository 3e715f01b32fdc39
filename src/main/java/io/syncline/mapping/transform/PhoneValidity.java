package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;

import java.util.List;

/**
 * libphonenumber's {@code isValidNumber}, with half its pattern matching spared for a valid
 * number of the default region. {@code isValidNumber} first finds the number's region: for a
 * country code shared by several regions (44: GB, GG, IM, JE), it tries the candidates in order,
 * taking one whose leading digits match or, if it has none, whose number-type patterns match.
 * Then it runs the found region's number-type patterns again. When the default region is the only
 * candidate, or the first and one without leading digits, its own patterns are the ones tried
 * first: if they match, it is the region found and the answer is yes, after one run of them.
 * A no proves nothing (a GB transform reading a Jersey number), so it goes through
 * {@code isValidNumber}, as does every number when the default region is not tried first.
 */
final class PhoneValidity {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String region;
    private final boolean regionIsTriedFirst;

    private PhoneValidity(String region, boolean regionIsTriedFirst) {
        this.region = region;
        this.regionIsTriedFirst = regionIsTriedFirst;
    }

    /** @param region a region libphonenumber supports */
    static PhoneValidity forRegion(String region) {
        List<String> candidates = PHONES.getRegionCodesForCountryCode(PHONES.getCountryCodeForRegion(region));
        boolean pickedByLeadingDigits = DefaultMetadataDependenciesProvider.getInstance()
                .getPhoneNumberMetadataSource().getMetadataForRegion(region).hasLeadingDigits();
        return new PhoneValidity(region, candidates.get(0).equals(region)
                && (candidates.size() == 1 || !pickedByLeadingDigits));
    }

    boolean isValid(PhoneNumber number) {
        if (regionIsTriedFirst && PHONES.isValidNumberForRegion(number, region)) {
            return true;
        }
        return PHONES.isValidNumber(number);
    }
}
