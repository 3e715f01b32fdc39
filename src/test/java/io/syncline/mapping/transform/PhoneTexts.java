package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.SplittableRandom;

/** Texts for the tests that compare a phone shortcut with libphonenumber's own answer. */
final class PhoneTexts {

    private PhoneTexts() {
    }

    static String digits(int length, SplittableRandom random) {
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    /** libphonenumber's reading, or {@code null} where it finds no number. */
    static PhoneNumber parse(String text, String region) {
        try {
            return PhoneNumberUtil.getInstance().parse(text, region);
        } catch (NumberParseException e) {
            return null;
        }
    }
}
