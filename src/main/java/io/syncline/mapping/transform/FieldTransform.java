package io.syncline.mapping.transform;

/**
 * One step of a field contract, applied between a system's value and the canonical record.
 * Canonical values are normalised: strings trimmed by the transforms that say so, emails
 * lower-case, phones E.164, timestamps UTC ISO-8601 strings ({@code Instant.toString()} form,
 * e.g. {@code 2024-03-01T09:30:00Z}), dates ISO {@code yyyy-MM-dd} strings, decimals
 * {@code BigDecimal} with the declared scale, integers {@code Long}, booleans {@code Boolean}.
 * <p>
 * Implementations are immutable and thread-safe; a value they cannot accept is a
 * {@link TransformException}, whose message is built from the context, so the context is never
 * {@code null} (its {@code record} may be, for transforms that do not read it).
 */
public interface FieldTransform {

    /** System value -> canonical value. */
    Object toCanonical(Object value, TransformContext context);

    /**
     * Canonical value -> system value. For pure normalisations this returns the value unchanged
     * (it is already canonical); picklist maps back; timestamp and date may format to a system
     * format and zone when configured.
     */
    Object toSystem(Object value, TransformContext context);
}
