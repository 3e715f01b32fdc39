package io.syncline.testsupport;

import java.util.Random;

/**
 * The seed of a test that draws its stream or its kill points at random: new for each run, or
 * {@code -Dsyncline.test.seed=<seed>} to replay one. {@link #context()} names it, to head every
 * assertion message.
 */
public record TestSeed(long seed, Random random, String context) {

    /** A seed for the test named {@code test}. */
    public static TestSeed of(String test) {
        long seed = Long.getLong("syncline.test.seed", System.nanoTime());
        return new TestSeed(seed, new Random(seed),
                test + " seed " + seed + " (replay with -Dsyncline.test.seed=" + seed + ")");
    }
}
