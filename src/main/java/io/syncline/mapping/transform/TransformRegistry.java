package io.syncline.mapping.transform;

import io.syncline.model.ByName;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transforms by the names integrators write in YAML. An unknown name fails with the list of known
 * names and, for a likely typo, the closest one.
 */
public final class TransformRegistry {

    /** Up to two edits away counts as a typo worth suggesting ({@code phnoe} -> {@code phone}). */
    private static final int SUGGESTION_DISTANCE = 2;

    private static final TransformRegistry BUILT_IN = of(List.of(
            withoutParameters("trim", TextTransform::trim),
            withoutParameters("lowercase", TextTransform::lowercase),
            withoutParameters("uppercase", TextTransform::uppercase),
            withoutParameters("email", EmailTransform::new),
            builtIn(PhoneTransform.NAME, PhoneTransform::create),
            builtIn(TimestampTransform.NAME, TimestampTransform::create),
            builtIn(DateTransform.NAME, DateTransform::create),
            builtIn(PicklistTransform.NAME, PicklistTransform::create),
            withoutParameters("string", StringTransform::new),
            withoutParameters("integer", IntegerTransform::new),
            builtIn(DecimalTransform.NAME, DecimalTransform::create),
            withoutParameters("boolean", BooleanTransform::new),
            builtIn(ConstantTransform.NAME, ConstantTransform::create),
            builtIn(ExpressionTransform.NAME, ExpressionTransform::create)));

    private final Map<String, TransformFactory> factories;

    private TransformRegistry(Map<String, TransformFactory> factories) {
        this.factories = factories;
    }

    /** The transforms Syncline ships. */
    public static TransformRegistry builtIn() {
        return BUILT_IN;
    }

    /** A registry of the given factories; two factories with one name are refused as ambiguous. */
    public static TransformRegistry of(Collection<? extends TransformFactory> factories) {
        return new TransformRegistry(ByName.unique(factories, TransformFactory::name, "transform factories"));
    }

    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(factories.keySet()));
    }

    /**
     * @param parameters as {@link TransformFactory#create(Object)} takes them
     * @throws InvalidTransformSpecException for an unknown name or wrong parameters
     */
    public FieldTransform create(String name, Object parameters) {
        TransformFactory factory = name == null ? null : factories.get(name);
        if (factory == null) {
            throw unknown(name);
        }
        return factory.create(parameters);
    }

    private InvalidTransformSpecException unknown(String name) {
        String known = "known transforms are " + String.join(", ", factories.keySet());
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String closest = name == null ? null : factories.keySet().stream()
                .min(Comparator.comparingInt(candidate -> distance.apply(name, candidate)))
                .filter(candidate -> distance.apply(name, candidate) <= SUGGESTION_DISTANCE)
                .orElse(null);
        return new InvalidTransformSpecException(String.valueOf(name), "not a known transform",
                closest == null ? "use one of them: " + known : "did you mean '" + closest + "'? " + known);
    }

    private static TransformFactory builtIn(String name, Function<Object, FieldTransform> creator) {
        return new BuiltInFactory(name, creator);
    }

    /** A transform written as a bare name: any parameters given are refused. */
    private static TransformFactory withoutParameters(String name, Supplier<FieldTransform> creator) {
        return builtIn(name, parameters -> {
            TransformParameters.requireNone(name, parameters);
            return creator.get();
        });
    }

    private record BuiltInFactory(String name, Function<Object, FieldTransform> creator) implements TransformFactory {

        @Override
        public FieldTransform create(Object parameters) {
            return creator.apply(parameters);
        }
    }
}
