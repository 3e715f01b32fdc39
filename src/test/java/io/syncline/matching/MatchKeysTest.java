package io.syncline.matching;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The shortcuts of the match keys give exactly what the general forms give. */
class MatchKeysTest {

    private static final String[] PIECES = {"Acme", "ACME", "acme", "Ltd", "ltd.", "Corp", "co", "Inc", "&", " ", "  ",
            "-", ".", ",", "'", "(", ")", "/", "\t", "7", "42", "GmbH", "LLC", "and", "Müller", "Café", "ﬁ", "Ａ", "x"};

    @Test
    void anAsciiNameReadsAsTheGeneralFormReadsIt() {
        SplittableRandom random = new SplittableRandom(3);
        int ascii = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder name = new StringBuilder();
            int pieces = random.nextInt(7);
            for (int p = 0; p < pieces; p++) {
                name.append(random.nextInt(5) == 0 ? (char) random.nextInt(160) : PIECES[random.nextInt(PIECES.length)]);
            }
            String text = name.toString();
            String general = MatchKeys.normaliseCompanyName(text);
            if (MatchKeys.asciiWords(text) != null) {
                ascii++;
            }
            assertThat(MatchKeys.companyName(text)).as("'%s'", text).isEqualTo(general.isEmpty() ? null : general);
        }
        assertThat(ascii).as("names that took the shortcut").isGreaterThan(50_000);
    }

    @Test
    void aNameWithAnyCharacterBeyondAsciiTakesTheGeneralForm() {
        assertThat(MatchKeys.asciiWords("Müller GmbH")).isNull();
        assertThat(MatchKeys.companyName("Müller GmbH")).isEqualTo("muller");
        assertThat(MatchKeys.companyName("AT&T Inc.")).isEqualTo("at and t");
        assertThat(MatchKeys.companyName("&Co")).as("co is a legal form").isEqualTo("and");
        assertThat(MatchKeys.companyName(" Ltd ")).isEqualTo("ltd");
    }

    @Test
    void digitsAreTheAsciiDigitsInOrder() {
        assertThat(MatchKeys.digits("+44 (20) 7946-0018 ext. 9")).isEqualTo("4420794600189");
        assertThat(MatchKeys.digits("no digits, ٣ is Arabic")).isEmpty();
    }
}
