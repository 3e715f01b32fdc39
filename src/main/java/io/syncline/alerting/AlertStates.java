package io.syncline.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the notifier last told about each condition (an alert and its labels), and what it must tell
 * now: a message when a condition starts and one when it clears, at most one per condition within
 * {@code minInterval}. A change inside that time waits for its end and is sent only if it still
 * holds then, so a condition that flaps sends one message per interval, the state it is in.
 */
public final class AlertStates {

    private final Duration minInterval;
    private final Map<String, Told> told = new HashMap<>();

    public AlertStates(Duration minInterval) {
        this.minInterval = minInterval;
    }

    private record Told(AlertMessage last, Instant at) {
    }

    /**
     * @param firing every condition firing now, from an evaluation of all alerts
     * @return the messages due, firing or resolved; mark each {@link #sent} once delivered
     */
    public synchronized List<AlertMessage> due(List<AlertMessage> firing, Instant now) {
        Map<String, AlertMessage> current = new HashMap<>();
        firing.forEach(message -> current.put(key(message), message));
        List<AlertMessage> due = new ArrayList<>();
        current.forEach((key, message) -> {
            Told last = told.get(key);
            if ((last == null || !last.last().firing()) && allowed(last, now)) {
                due.add(message);
            }
        });
        told.forEach((key, last) -> {
            if (last.last().firing() && !current.containsKey(key) && allowed(last, now)) {
                AlertMessage was = last.last();
                due.add(new AlertMessage(was.alert(), was.labels(), false, was.summary()));
            }
        });
        return due;
    }

    /** Records that {@code message} was delivered at {@code now}. */
    public synchronized void sent(AlertMessage message, Instant now) {
        told.put(key(message), new Told(message, now));
    }

    private boolean allowed(Told last, Instant now) {
        return last == null || !now.isBefore(last.at().plus(minInterval));
    }

    private static String key(AlertMessage message) {
        return message.alert() + new java.util.TreeMap<>(message.labels());
    }
}
