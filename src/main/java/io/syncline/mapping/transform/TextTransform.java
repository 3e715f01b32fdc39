package io.syncline.mapping.transform;

import java.util.Locale;
import java.util.function.UnaryOperator;

/** {@code trim}, {@code lowercase} and {@code uppercase}: one text normalisation each. */
final class TextTransform extends NormalisingTransform {

    private final String name;
    private final UnaryOperator<String> operation;

    private TextTransform(String name, UnaryOperator<String> operation) {
        this.name = name;
        this.operation = operation;
    }

    /** Removes leading and trailing whitespace (as {@link String#strip()} defines it). */
    static TextTransform trim() {
        return new TextTransform("trim", String::strip);
    }

    /** Lower-case by {@link Locale#ROOT}, so a Turkish default locale cannot turn "I" into a dotless "ı". */
    static TextTransform lowercase() {
        return new TextTransform("lowercase", text -> text.toLowerCase(Locale.ROOT));
    }

    static TextTransform uppercase() {
        return new TextTransform("uppercase", text -> text.toUpperCase(Locale.ROOT));
    }

    /** Applied on the way out too: {@code uppercase} on a target's mapping means the target gets upper case. */
    @Override
    public Object toSystem(Object value, TransformContext context) {
        return value == null ? null : normalise(value, context);
    }

    @Override
    protected Object normalise(Object value, TransformContext context) {
        return operation.apply(Coercions.text(value, context, Direction.TO_CANONICAL, name));
    }
}
