package io.syncline.routes;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The route files that could not be loaded, by location, with the reason. Read by the
 * readiness check so that a broken file is visible without reading logs.
 */
@ApplicationScoped
public class RouteFileProblems {

    private final Map<String, String> problems = Collections.synchronizedMap(new TreeMap<>());

    void clear() {
        problems.clear();
    }

    void remove(String location) {
        problems.remove(location);
    }

    void removeAll(String prefix) {
        synchronized (problems) {
            problems.keySet().removeIf(location -> location.startsWith(prefix));
        }
    }

    void record(String location, String reason) {
        problems.put(location, reason);
    }

    public Map<String, String> snapshot() {
        synchronized (problems) {
            return Map.copyOf(problems);
        }
    }
}
