package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformChainTest {

    /** Records the order in which steps run. */
    private record Step(String name, List<String> log) implements FieldTransform {

        @Override
        public Object toCanonical(Object value, TransformContext context) {
            log.add(name);
            return value + ">" + name;
        }

        @Override
        public Object toSystem(Object value, TransformContext context) {
            log.add(name);
            return value + "<" + name;
        }
    }

    @Test
    void towardsCanonicalInOrderTowardsTheSystemInReverse() {
        List<String> log = new ArrayList<>();
        var chain = TransformChain.of(new Step("a", log), new Step("b", log), new Step("c", log));

        assertThat(toCanonical(chain, "v")).isEqualTo("v>a>b>c");
        assertThat(toSystem(chain, "v")).isEqualTo("v<c<b<a");
        assertThat(log).containsExactly("a", "b", "c", "c", "b", "a");
    }

    @Test
    void trimThenPicklist() {
        var chain = TransformChain.of(transform("trim", null),
                transform("picklist", Map.of("map", Map.of("On hold", "paused"))));

        assertThat(toCanonical(chain, "  On hold ")).isEqualTo("paused");
        assertThat(toSystem(chain, "paused")).isEqualTo("On hold");
    }

    @Test
    void anEmptyChainPassesValuesThrough() {
        var chain = new TransformChain(List.of());

        assertThat(toCanonical(chain, "x")).isEqualTo("x");
        assertThat(toSystem(chain, null)).isNull();
    }

    @Test
    void theStepsCannotBeChangedAfterwards() {
        List<FieldTransform> steps = new ArrayList<>(List.of(transform("trim", null)));
        var chain = new TransformChain(steps);
        steps.add(transform("uppercase", null));

        assertThat(toCanonical(chain, " a ")).isEqualTo("a");
        assertThatThrownBy(() -> chain.steps().add(transform("trim", null)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
