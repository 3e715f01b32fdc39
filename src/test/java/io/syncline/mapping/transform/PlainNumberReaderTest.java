package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PlainNumberReader} answers without {@code parse}; every answer must be exactly the number
 * {@code parse} gives, and valid. The texts are numbers of every region in national and
 * international forms, with digits changed, added and dropped, with separators of every kind
 * (those the reader accepts and those it must leave to {@code parse}), written with the country
 * code or the international prefix but no plus, and random digits.
 */
class PlainNumberReaderTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final String[] SEPARATORS = {"", " ", "-", ".", "(", ")", " - ", "/", "\u00A0", "x", "#", ";", ",,", "+"};

    @Test
    void everyAnswerIsParsesValidNumber() {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, PlainNumberReader> readers = new TreeMap<>();
        Map<String, List<PhoneNumber>> examples = new TreeMap<>();
        for (String region : PHONES.getSupportedRegions()) {
            PlainNumberReader reader = PlainNumberReader.forRegion(region, PhoneValidity.forRegion(region));
            if (reader != null) {
                readers.put(region, reader);
                examples.put(region, examples(region));
            }
        }
        List<String> regions = List.copyOf(readers.keySet());
        int answered = 0;
        int parsedValid = 0;
        for (int i = 0; i < 250_000; i++) {
            String region = regions.get(random.nextInt(regions.size()));
            // Mostly the region's own numbers, sometimes another region's, as they are written there.
            String from = random.nextInt(4) > 0 ? region : regions.get(random.nextInt(regions.size()));
            List<PhoneNumber> seeds = examples.get(from);
            String text = seeds.isEmpty()
                    ? PhoneTexts.digits(1 + random.nextInt(15), random)
                    : text(seeds.get(random.nextInt(seeds.size())), random);
            PhoneNumber answer = readers.get(region).read(text);
            PhoneNumber parsed = PhoneTexts.parse(text, region);
            boolean valid = parsed != null && PHONES.isValidNumber(parsed) && !parsed.hasExtension();
            if (valid) {
                parsedValid++;
            }
            if (answer == null) {
                continue;
            }
            answered++;
            assertThat(parsed).as("parse of '%s' in %s", text, region).isNotNull();
            assertThat(answer.exactlySameAs(parsed))
                    .as("'%s' in %s: read %s, parsed %s", text, region, answer, parsed).isTrue();
            assertThat(valid).as("'%s' in %s is valid", text, region).isTrue();
        }
        assertThat(answered).as("texts answered without parse").isGreaterThan(50_000);
        assertThat(answered).as("answered, of %d valid numbers", parsedValid).isGreaterThan(parsedValid / 3);
    }

    @Test
    void plainNationalNumbersAreReadOthersLeftToParse() throws NumberParseException {
        PlainNumberReader gb = PlainNumberReader.forRegion("GB", PhoneValidity.forRegion("GB"));
        for (String text : List.of("020 7946 0018", "(020) 7946-0018", "020.7946.0018", "07911 123456", "01534 123456")) {
            PhoneNumber answer = gb.read(text);
            assertThat(answer).as(text).isNotNull();
            assertThat(answer.exactlySameAs(PHONES.parse(text, "GB"))).as(text).isTrue();
        }
        for (String text : List.of("+44 20 7946 0018", "+442079460018", "+33 1 23 45 67 89", "+1 (201) 555-0123", "+39 06 6988 1234")) {
            PhoneNumber answer = gb.read(text);
            assertThat(answer).as(text).isNotNull();
            assertThat(answer.exactlySameAs(PHONES.parse(text, "GB"))).as(text).isTrue();
        }
        // International prefix, country code without a plus, an extension, letters, a plus before a
        // national prefix (parse reads it again without the plus), a non-geographic code, Argentina's
        // rewritten prefix, a plus inside: parse's to answer.
        for (String text : List.of("00 33 1 23 45 67 89", "44 20 7946 0018", "020 7946 0018 x12", "0800 FLOWERS", "2",
                "+020 7946 0018", "+800 1234 5678", "+54 9 11 1234 5678", "020+7946 0018")) {
            assertThat(gb.read(text)).as(text).isNull();
        }
        PlainNumberReader italy = PlainNumberReader.forRegion("IT", PhoneValidity.forRegion("IT"));
        PhoneNumber rome = italy.read("06 6988 1234");
        assertThat(rome).isNotNull();
        assertThat(rome.exactlySameAs(PHONES.parse("06 6988 1234", "IT"))).isTrue();
        assertThat(PHONES.format(rome, PhoneNumberFormat.E164)).isEqualTo("+390669881234");
        // In Rwanda a national number may begin 06, so "00 690 3101" would read as one without its
        // international prefix (00): parse reads it as Tokelau's +690 3101.
        PlainNumberReader rwanda = PlainNumberReader.forRegion("RW", PhoneValidity.forRegion("RW"));
        assertThat(rwanda.read("00 690 3101")).isNull();
        assertThat(PHONES.format(PHONES.parse("00 690 3101", "RW"), PhoneNumberFormat.E164)).isEqualTo("+6903101");
        // Barbados writes 246 for its own numbers' missing area code: a rewrite, left to parse.
        assertThat(PlainNumberReader.forRegion("BB", PhoneValidity.forRegion("BB"))).isNull();
    }

    private static List<PhoneNumber> examples(String region) {
        List<PhoneNumber> examples = new ArrayList<>();
        for (PhoneNumberType type : PhoneNumberType.values()) {
            PhoneNumber example = PHONES.getExampleNumberForType(region, type);
            if (example != null) {
                examples.add(example);
            }
        }
        return examples;
    }

    /** One written form of a number near the example: its digits varied, then separated at random. */
    private static String text(PhoneNumber example, SplittableRandom random) {
        String written = switch (random.nextInt(8)) {
            case 0 -> PHONES.format(example, PhoneNumberFormat.INTERNATIONAL).substring(1); // no plus
            case 1 -> "00" + PHONES.format(example, PhoneNumberFormat.E164).substring(1); // an IDD
            case 2 -> PHONES.getNationalSignificantNumber(example); // no prefix
            case 3 -> PHONES.format(example, PhoneNumberFormat.INTERNATIONAL);
            case 4 -> PHONES.format(example, PhoneNumberFormat.E164);
            case 5 -> "+" + PHONES.format(example, PhoneNumberFormat.NATIONAL); // a plus, then a prefix
            default -> PHONES.format(example, PhoneNumberFormat.NATIONAL);
        };
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            int dice = random.nextInt(40);
            if (Character.isDigit(c) && dice == 0) {
                continue; // a digit dropped
            }
            text.append(Character.isDigit(c) && dice < 6 ? (char) ('0' + random.nextInt(10)) : c);
            if (dice == 1) {
                text.append((char) ('0' + random.nextInt(10))); // a digit added
            } else if (dice == 2) {
                text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
            }
        }
        return text.toString().strip();
    }
}
