package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PhoneNumberReader} is {@code parse} then {@code isValidNumber}: the same number for every
 * text that is a valid one (an extension kept), none for a number that is not valid, and
 * {@code parse}'s exception for text that is no number.
 */
class PhoneNumberReaderTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    @Test
    void answersAsParseAndIsValidNumberDo() throws NumberParseException {
        SplittableRandom random = new SplittableRandom(11);
        List<String> written = List.of("020 7946 0018", "+44 20 7946 0018", "+442079460018", "(020) 7946-0018 ext. 12",
                "020 7946 001", "0800 FLOWERS", "+1 212 555 0123", "(212) 555-0123", "212-555-0123 x7", "030 901820",
                "+39 06 1234 5678", "06 1234 5678", "011 15 1234-5678", "+54 9 11 1234 5678", "+999 123 456", "0044 20 7946 0018");
        int valid = 0;
        for (String region : List.of("GB", "US", "DE", "IT", "AR", "JE")) {
            PhoneNumberReader reader = PhoneNumberReader.forRegion(region.toLowerCase());
            for (int i = 0; i < 3_000; i++) {
                String text = i < written.size() ? written.get(i) : (random.nextBoolean() ? "+" : "0")
                        + PhoneTexts.digits(6 + random.nextInt(8), random);
                PhoneNumber parsed = PhoneTexts.parse(text, region);
                if (parsed == null) {
                    assertThatThrownBy(() -> reader.read(text)).as(text).isInstanceOf(NumberParseException.class);
                    continue;
                }
                PhoneNumber expected = PHONES.isValidNumber(parsed) ? parsed : null;
                valid += expected == null ? 0 : 1;
                assertThat(reader.read(text)).as("%s in %s", text, region).isEqualTo(expected);
            }
        }
        assertThat(valid).as("valid numbers among the texts").isGreaterThan(100);
    }

    @Test
    void anUnknownRegionIsRefused() {
        assertThatThrownBy(() -> PhoneNumberReader.forRegion("XX")).hasMessageContaining("'XX'");
    }
}
