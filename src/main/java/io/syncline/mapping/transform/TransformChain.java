package io.syncline.mapping.transform;

import java.util.List;

/**
 * The transforms declared for one field, as one transform: towards the canonical record they
 * apply in declared order, towards a system in reverse order, so that {@code [trim, picklist]}
 * trims before looking up and looks up back before handing the value over.
 */
public record TransformChain(List<FieldTransform> steps) implements FieldTransform {

    public TransformChain {
        steps = List.copyOf(steps);
    }

    public static TransformChain of(FieldTransform... steps) {
        return new TransformChain(List.of(steps));
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        Object result = value;
        for (FieldTransform step : steps) {
            result = step.toCanonical(result, context);
        }
        return result;
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        Object result = value;
        for (int i = steps.size() - 1; i >= 0; i--) {
            result = steps.get(i).toSystem(result, context);
        }
        return result;
    }
}
