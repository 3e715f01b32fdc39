package io.syncline.reconcile;

import java.util.Set;
import java.util.TreeSet;

/** No reconciliation job of that name in the model in force. */
public class UnknownJobException extends RuntimeException {

    public UnknownJobException(String name, Set<String> known) {
        super("No reconciliation job '" + name + "'; the model declares " + (known.isEmpty() ? "none" : new TreeSet<>(known)));
    }
}
