package io.syncline.mapping.transform;

/**
 * A transform declared wrongly in the model: unknown name, bad or missing parameter. The
 * message says what is wrong and how to fix it, e.g. {@code phone: region 'UK' is not a known
 * region code; use an ISO 3166 code such as GB}. Thrown when the model is loaded, never while
 * records flow.
 */
public class InvalidTransformSpecException extends RuntimeException {

    private final String transform;
    private final String problem;
    private final String fix;

    public InvalidTransformSpecException(String transform, String problem, String fix) {
        super(transform + ": " + problem + "; " + fix);
        this.transform = transform;
        this.problem = problem;
        this.fix = fix;
    }

    /** The transform name as declared, e.g. {@code phone}. */
    public String transform() {
        return transform;
    }

    /** What is wrong, e.g. {@code region 'UK' is not a known region code}. */
    public String problem() {
        return problem;
    }

    /** How to fix it, e.g. {@code use an ISO 3166 code such as GB}. */
    public String fix() {
        return fix;
    }
}
