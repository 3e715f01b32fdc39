package io.syncline.connector.rest;

import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The check of a REST system (of type {@code rest} or a preset's) before its first event: one
 * authenticated call (by default a GET of the first mapped collection) proves its credentials and
 * that it answers; then the type checks the objects and fields its mappings name where the API can
 * say ({@link Probe#objects}); then its webhooks, which a provider keeps in its own settings. Every
 * call goes through the system's client: its auth, rate limit and request timeout.
 */
public final class RestSystemCheck {

    /** A mapping of the system that names a resource, and where it writes. */
    public record Mapped(String entity, SystemMapping mapping, RestTarget target) {
    }

    /** What a type adds to the check: the call that proves the credentials, the objects' checks, the fixes' words. */
    public interface Probe {

        /** The GET that proves the credentials: the first mapped collection by default. */
        default URI credentialsCall(RestTarget target) {
            return target.collection();
        }

        /** The checks of the objects and fields the mappings name, once the credentials are good; none by default. */
        default List<SystemCheck> objects(SyncModel model, List<Mapped> mapped) {
            return List.of();
        }

        /** What to do when the API refused the credentials. */
        default String credentialsFix(String system) {
            return "give " + system + " credentials its API accepts: the auth of the system in the model, and the"
                    + " environment variable or Secret it names";
        }

        /**
         * The checks of the webhooks {@code paths} (entity to path) the provider is to send, with the
         * system's {@code mapped} collections and credentials that passed; by default one step that
         * the type cannot tell ({@link #webhookNote}).
         */
        default List<SystemCheck> webhooks(String system, Map<String, String> paths, List<Mapped> mapped) {
            return List.of(SystemCheck.notChecked("webhook", webhookNote(system, paths)));
        }

        /** What to say of the webhooks {@code paths} (source system's entity to path) the provider is to send. */
        default String webhookNote(String system, Map<String, String> paths) {
            return "a webhook's registration is kept by the sender, which Syncline cannot read: make sure " + system
                    + " sends to " + paths.values();
        }
    }

    private RestSystemCheck() {
    }

    public static List<SystemCheck> check(String system, SyncModel model, HttpTargetClient client, Probe probe) {
        List<Mapped> mapped = new ArrayList<>();
        Mappings.ofSystem(model, system).forEach((entity, mapping) -> {
            if (RestMappingSettings.of(mapping).resource() != null) {
                mapped.add(new Mapped(entity, mapping, RestTarget.of(model, entity, system)));
            }
        });
        List<SystemCheck> checks = new ArrayList<>();
        boolean answers = false;
        if (mapped.isEmpty()) {
            checks.add(SystemCheck.passed("reachable", "no mapping names a resource of " + system + ": Syncline calls nothing of it"));
        } else if (credentials(system, client, probe, mapped.get(0).target(), checks)) {
            answers = true;
            try {
                checks.addAll(probe.objects(model, mapped));
            } catch (RuntimeException e) {
                checks.add(SystemCheck.failed("objects", e.getMessage(), "make sure the token may read the objects' schemas"));
            }
        }
        Map<String, String> paths = new TreeMap<>();
        model.entities().forEach((entity, definition) -> {
            String path = definition.webhooks() == null ? null : definition.webhooks().get(system);
            if (path != null) {
                paths.put(entity, path);
            }
        });
        if (!paths.isEmpty()) {
            checks.addAll(answers ? probe.webhooks(system, paths, mapped)
                    : List.of(SystemCheck.notChecked("webhook", probe.webhookNote(system, paths))));
        }
        return checks;
    }

    /** The credentials' call: whether it passed, its outcome added to {@code checks}. */
    private static boolean credentials(String system, HttpTargetClient client, Probe probe, RestTarget target, List<SystemCheck> checks) {
        URI uri = probe.credentialsCall(target);
        String request = "GET " + uri.getRawPath();
        try {
            HttpResponse<String> answer = client.call(target, "GET", uri, null, status -> status == 405);
            if (answer.statusCode() == 405) {
                checks.add(SystemCheck.passed("reachable", request + " answered 405"));
                checks.add(SystemCheck.notChecked("credentials", "the collection cannot be read: the credentials are first"
                        + " used by a write"));
                return true;
            }
            checks.add(SystemCheck.passed("credentials", request + " answered " + answer.statusCode()));
            return true;
        } catch (TargetRejectedException e) {
            if (e.status() == 401 || e.status() == 403) {
                checks.add(SystemCheck.failed("credentials", system + " refused the credentials (" + e.status() + "): "
                        + (e.providerMessage() == null ? e.getMessage() : e.providerMessage()), probe.credentialsFix(system)));
            } else {
                checks.add(SystemCheck.failed("reachable", e.getMessage(), "correct the system's baseUrl or the mapping's resource"));
            }
        } catch (TargetUnavailableException e) {
            checks.add(SystemCheck.failed("reachable", e.getMessage(), "make sure " + target.definition().baseUrl()
                    + " answers from this deployment (address, network, firewall, proxy)"));
        }
        return false;
    }
}
