package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A written phone number read as libphonenumber's {@code parse} and {@code isValidNumber} read it
 * against a default region, mostly without their pattern matching: a plainly written number by
 * {@link PlainNumberReader}, any other text by {@code parse}, and validity by
 * {@link PhoneValidity}. One per region, shared: the {@code phone} transform reads with it, and
 * so do the phone match rule's keys ({@code MatchKeys.phone}), where {@code isValidNumber} alone
 * was ~60 µs a new record.
 */
public final class PhoneNumberReader {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Map<String, PhoneNumberReader> BY_REGION = new ConcurrentHashMap<>();

    private final String region;
    private final PhoneValidity validity;
    /** {@code null} for a region that rewrites its national prefix. */
    private final PlainNumberReader plainNumbers;

    private PhoneNumberReader(String region) {
        this.region = region;
        this.validity = PhoneValidity.forRegion(region);
        this.plainNumbers = PlainNumberReader.forRegion(region, validity);
    }

    /** @param region an ISO 3166 code libphonenumber supports, in any case */
    public static PhoneNumberReader forRegion(String region) {
        String code = region.toUpperCase(Locale.ROOT);
        if (!PHONES.getSupportedRegions().contains(code)) {
            throw new IllegalArgumentException("'" + region + "' is not a region libphonenumber knows");
        }
        return BY_REGION.computeIfAbsent(code, PhoneNumberReader::new);
    }

    /**
     * The valid number the text is (with its extension, if written), or {@code null} when it is a
     * number but not a valid one.
     *
     * @throws NumberParseException the text is no phone number at all
     */
    public PhoneNumber read(String text) throws NumberParseException {
        PhoneNumber number = plainNumbers == null ? null : plainNumbers.read(text);
        if (number != null) {
            return number;
        }
        number = PHONES.parse(text, region);
        return validity.isValid(number) ? number : null;
    }
}
