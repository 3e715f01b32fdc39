package io.syncline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings the shipped Deployment ({@code k8s/base/deployment.yaml}) gives the application
 * for running behind its Ingress (the {@code QUARKUS_HTTP_PROXY_*} variables), as configuration
 * for a test: a request the test sends with the ingress controller's {@code X-Forwarded-*} headers
 * is then read as it is in the cluster. The test's client is on the loopback address, so it is
 * added to the trusted proxies, where the ingress controller's pod address would be.
 */
public final class IngressSettings {

    private static final Path DEPLOYMENT = Path.of("k8s", "base", "deployment.yaml");
    private static final String PREFIX = "QUARKUS_HTTP_PROXY_";
    /** The variables' property names: an environment variable's name has lost the dashes. */
    private static final Map<String, String> PROPERTIES = Map.of(
            "PROXY_ADDRESS_FORWARDING", "quarkus.http.proxy.proxy-address-forwarding",
            "ALLOW_X_FORWARDED", "quarkus.http.proxy.allow-x-forwarded",
            "ALLOW_FORWARDED", "quarkus.http.proxy.allow-forwarded",
            "ENABLE_FORWARDED_HOST", "quarkus.http.proxy.enable-forwarded-host",
            "ENABLE_FORWARDED_PREFIX", "quarkus.http.proxy.enable-forwarded-prefix",
            "TRUSTED_PROXIES", "quarkus.http.proxy.trusted-proxies");

    private IngressSettings() {
    }

    /** The Deployment's proxy settings as configuration properties, the loopback address among the trusted proxies. */
    public static Map<String, String> withLoopbackAsIngress() {
        Map<String, String> properties = new LinkedHashMap<>();
        try {
            for (JsonNode container : new YAMLMapper().readTree(DEPLOYMENT.toFile()).at("/spec/template/spec/containers")) {
                for (JsonNode variable : container.path("env")) {
                    String name = variable.path("name").asText();
                    if (name.startsWith(PREFIX)) {
                        String property = PROPERTIES.get(name.substring(PREFIX.length()));
                        if (property == null) {
                            throw new IllegalStateException(DEPLOYMENT + " sets " + name + ", which this test cannot name");
                        }
                        properties.put(property, variable.path("value").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.computeIfPresent("quarkus.http.proxy.trusted-proxies", (key, trusted) -> trusted + ",127.0.0.1");
        return properties;
    }
}
