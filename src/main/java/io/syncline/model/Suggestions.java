package io.syncline.model;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Comparator;
import java.util.TreeSet;

/** "use one of a, b, c" with the closest name first when a name looks like a typo. */
public final class Suggestions {

    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(3);

    private Suggestions() {
    }

    public static String oneOf(String written, Collection<String> known) {
        if (known.isEmpty()) {
            return "declare it first";
        }
        String closest = written == null ? null : known.stream()
                .filter(name -> DISTANCE.apply(name.toLowerCase(), written.toLowerCase()) >= 0)
                .min(Comparator.comparingInt(name -> DISTANCE.apply(name.toLowerCase(), written.toLowerCase())))
                .orElse(null);
        String all = String.join(", ", new TreeSet<>(known));
        return closest == null ? "use one of " + all : "did you mean '" + closest + "'? Known: " + all;
    }
}
