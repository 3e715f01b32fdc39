package io.syncline.connector.spi;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Camel components of a type's systems, one a system under a scheme made from its name
 * ({@code salesforce-crm}): made when the system is first reached, and made anew, the old one
 * removed, when its settings change (a reloaded model may change them).
 */
public final class SystemComponents<S, C extends Component> {

    private static final Logger LOG = Logger.getLogger(SystemComponents.class);

    private final CamelContext camel;
    private final String prefix;
    private final String renewed;
    private final Map<String, Registered<S, C>> registered = new ConcurrentHashMap<>();

    private record Registered<S, C>(S settings, C component) {
    }

    /**
     * @param prefix  the schemes' beginning, {@code salesforce-}
     * @param renewed what is logged when a system's settings changed, its name in place of {@code %s}
     */
    public SystemComponents(CamelContext camel, String prefix, String renewed) {
        this.camel = camel;
        this.prefix = prefix;
        this.renewed = renewed;
    }

    /** The scheme of {@code system}'s component. */
    public String scheme(String system) {
        return prefix + system.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** The component of {@code system} for {@code settings}: the one made before while they are the same, else the one {@code make} makes. */
    public C of(String system, S settings, Function<S, C> make) {
        return of(system, settings, make, component -> {
        });
    }

    /**
     * The component of {@code system} for {@code settings}: the one made before while they are the
     * same, else the one {@code make} makes, which {@code added} is given once Camel has it.
     */
    public synchronized C of(String system, S settings, Function<S, C> make, Consumer<C> added) {
        Registered<S, C> current = registered.get(system);
        if (current != null && current.settings().equals(settings)) {
            return current.component();
        }
        String scheme = scheme(system);
        if (current != null) {
            camel.removeComponent(scheme);
            LOG.infof(renewed, system);
        }
        C component = make.apply(settings);
        camel.addComponent(scheme, component);
        added.accept(component);
        registered.put(system, new Registered<>(settings, component));
        return component;
    }
}
