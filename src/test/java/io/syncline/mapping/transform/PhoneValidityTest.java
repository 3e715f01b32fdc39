package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PhoneValidity} answers some numbers without {@code isValidNumber}; every answer must be
 * the one {@code isValidNumber} gives, for numbers of the default region, of regions sharing its
 * country code, of other countries, and for digits that are no number at all. The numbers include
 * thousands valid only in another region of the country code (Jersey numbers read in GB), where a
 * shortcut trusting the default region's no would fail. (With libphonenumber 9.0.43's metadata no
 * number valid for a region resolves to another, so dropping the condition on the region's place
 * would not fail here: it guards what the proof needs, should later metadata differ.)
 */
class PhoneValidityTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** Regions first for their country code and later ones, with and without leading digits, and one alone. */
    private static final List<String> REGIONS = List.of("GB", "GG", "JE", "IM", "US", "CA", "PR", "JM", "DE",
            "RU", "KZ", "IT", "VA", "NO", "SJ", "FI", "AX", "AU", "CX", "MA", "EH", "SH", "TA", "FR", "GP", "BL");

    @Test
    void everyVerdictIsIsValidNumbers() {
        SplittableRandom random = new SplittableRandom(42);
        Map<String, PhoneValidity> validities = new HashMap<>();
        REGIONS.forEach(region -> validities.put(region, PhoneValidity.forRegion(region)));
        Map<Integer, List<String>> seeds = seeds();
        List<Integer> countryCodes = List.copyOf(seeds.keySet());
        int validForRegion = 0;
        int validElsewhere = 0;
        for (int i = 0; i < 200_000; i++) {
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            int countryCode = random.nextInt(3) > 0
                    ? PHONES.getCountryCodeForRegion(region)
                    : countryCodes.get(random.nextInt(countryCodes.size()));
            PhoneNumber number = PhoneTexts.parse(text(region, countryCode, seeds.get(countryCode), random), region);
            if (number == null) {
                continue;
            }
            boolean expected = PHONES.isValidNumber(number);
            assertThat(validities.get(region).isValid(number))
                    .as("%s read in %s", PHONES.format(number, PhoneNumberFormat.E164), region)
                    .isEqualTo(expected);
            if (PHONES.isValidNumberForRegion(number, region)) {
                validForRegion++;
            } else if (expected && number.getCountryCode() == PHONES.getCountryCodeForRegion(region)) {
                // A shortcut that took the default region's no for the answer would be wrong here.
                validElsewhere++;
            }
        }
        assertThat(validForRegion).as("numbers valid for the region read in").isGreaterThan(20_000);
        assertThat(validElsewhere).as("numbers of the country code valid only in another region").isGreaterThan(5_000);
    }

    /** National significant numbers of every type, by country code, to be varied into valid and near-valid ones. */
    private static Map<Integer, List<String>> seeds() {
        Map<Integer, List<String>> seeds = new TreeMap<>();
        for (String region : REGIONS) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                if (example != null) {
                    seeds.computeIfAbsent(example.getCountryCode(), code -> new ArrayList<>())
                            .add(PHONES.getNationalSignificantNumber(example));
                }
            }
        }
        return seeds;
    }

    private static String text(String region, int countryCode, List<String> seeds, SplittableRandom random) {
        if (random.nextInt(5) == 0) {
            // Random digits in national form, of any length including too short and too long.
            return PhoneTexts.digits(1 + random.nextInt(17), random);
        }
        String seed = seeds.get(random.nextInt(seeds.size()));
        // Keep a prefix, then random digits up to the seed's length or one more or fewer.
        int kept = Math.max(0, seed.length() - 1 - random.nextInt(7));
        int length = seed.length() + random.nextInt(3) - 1;
        String varied = seed.substring(0, kept) + PhoneTexts.digits(Math.max(0, length - kept), random);
        boolean inNationalForm = countryCode == PHONES.getCountryCodeForRegion(region) && random.nextBoolean();
        return inNationalForm ? "0" + varied : "+" + countryCode + " " + varied;
    }
}
