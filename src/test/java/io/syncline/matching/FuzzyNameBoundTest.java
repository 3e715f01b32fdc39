package io.syncline.matching;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzzy-name rule skips the full Jaro-Winkler comparison for names that cannot reach the
 * threshold; the bound must never skip a pair that would have reached it.
 */
class FuzzyNameBoundTest {

    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();
    private static final double[] THRESHOLDS = {0.5, 0.7, 0.8, 0.92, 0.99, 1.0};

    @Test
    void noPairAtOrAboveTheThresholdIsSkipped() {
        SplittableRandom random = new SplittableRandom(42);
        int skipped = 0;
        for (int i = 0; i < 200_000; i++) {
            String a = name(random);
            // Half the pairs are a name and a near copy (typos, swaps, a word more), the rest unrelated.
            String b = random.nextBoolean() ? variant(a, random) : name(random);
            double similarity = SIMILARITY.apply(a, b);
            for (double threshold : THRESHOLDS) {
                if (!FuzzyNameRule.couldReach(a, b, threshold)) {
                    skipped++;
                    assertThat(similarity).as("'%s' vs '%s' at %s", a, b, threshold).isLessThan(threshold);
                }
            }
        }
        assertThat(skipped).as("pairs the bound spared a full comparison").isGreaterThan(100_000);
    }

    @Test
    void edgeCasesAreComparedInFull() {
        assertThat(FuzzyNameRule.couldReach("", "", 0.92)).isTrue();
        assertThat(FuzzyNameRule.couldReach("acme", "acme", 1.0)).isTrue();
        assertThat(FuzzyNameRule.couldReach("acme", "", 0.5)).isFalse();
        assertThat(FuzzyNameRule.couldReach("société générale", "societe generale", 0.99)).isTrue();
        assertThat(FuzzyNameRule.couldReach("acme", "zzzz", 0.01)).isFalse();
    }

    private static String name(SplittableRandom random) {
        String letters = "abcdeilmnorst ";
        StringBuilder name = new StringBuilder();
        for (int i = 0, length = 1 + random.nextInt(16); i < length; i++) {
            name.append(letters.charAt(random.nextInt(letters.length())));
        }
        return name.toString();
    }

    private static String variant(String name, SplittableRandom random) {
        StringBuilder copy = new StringBuilder(name);
        for (int edits = random.nextInt(3); edits > 0 && copy.length() > 1; edits--) {
            int at = random.nextInt(copy.length() - 1);
            switch (random.nextInt(4)) {
                case 0 -> copy.deleteCharAt(at);
                case 1 -> copy.insert(at, (char) ('a' + random.nextInt(26)));
                case 2 -> {
                    char c = copy.charAt(at);
                    copy.setCharAt(at, copy.charAt(at + 1));
                    copy.setCharAt(at + 1, c);
                }
                default -> copy.append(" ltd");
            }
        }
        return copy.toString();
    }
}
