package io.syncline.reconcile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Pairs the two sides' staged records by key as they arrive, so that a record both sides hold
 * equal (the same version hash), nearly every record of a reconciliation, is never staged: it
 * costs neither a COPY row, nor a line in a value file, nor a row in the diff's join. Every other
 * record is staged as before, and the diff in SQL decides it: a key whose values differ (both
 * sides' records), a key a side holds twice, a record whose partner did not come while it waited.
 * So for keys each side holds once, the diff finds exactly what it would have found with
 * everything staged (a key held twice makes the run untrustworthy, whatever its diff).
 *
 * <p>A side's unpaired records wait in a window of at most {@code capacity} records. Two sides
 * pulled in key order arrive nearly in step and a record seldom waits long. A side whose window
 * is full waits for the other to catch up; when both windows are full (the sides' orders
 * differ), the side that needs room stages its longest-waiting record. The heap holds at most
 * two windows whatever the sides' sizes and orders.
 *
 * <p>A pair dropped here is not staged, so the staging can no longer count a key a side holds
 * twice: only pulls that count their own repeated keys may be paired (see {@link Reconciler}).
 * Each side is offered its records by one thread; what that thread gets back to stage, it
 * stages itself.
 */
final class PairingWindow {

    private final int capacity;
    private final Side a = new Side();
    private final Side b = new Side();

    private static final class Side {

        /** Unpaired records in arrival order, by key. */
        final LinkedHashMap<String, StagedRecord> waiting = new LinkedHashMap<>();
        /** Records of this side the other side's thread paired with a different one of its own: this side stages them. */
        final List<StagedRecord> unequal = new ArrayList<>();
        boolean done;
        long paired;
    }

    PairingWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A pairing window holds at least one record, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Offers records of a side; may wait for the other side to catch up.
     *
     * @return the side's records to stage now (those that stay unpaired are held back)
     */
    List<StagedRecord> offer(char side, List<StagedRecord> records) throws InterruptedException {
        Side me = side(side);
        Side other = other(side);
        List<StagedRecord> stage = new ArrayList<>();
        synchronized (this) {
            for (StagedRecord record : records) {
                place(record, me, other, stage);
            }
            stage.addAll(me.unequal);
            me.unequal.clear();
            notifyAll();
        }
        return stage;
    }

    private void place(StagedRecord record, Side me, Side other, List<StagedRecord> stage) throws InterruptedException {
        while (true) {
            StagedRecord partner = other.waiting.remove(record.key());
            if (partner != null) {
                if (Arrays.equals(partner.versionHash(), record.versionHash())) {
                    me.paired++;
                    other.paired++;
                } else {
                    stage.add(record);
                    other.unequal.add(partner);
                }
                return;
            }
            if (other.done || me.waiting.containsKey(record.key())) {
                // Nothing more will come to pair it with; or a key repeated, which only the diff may judge.
                stage.add(record);
                return;
            }
            if (me.waiting.size() < capacity) {
                me.waiting.put(record.key(), record);
                return;
            }
            if (other.waiting.size() >= capacity) {
                Iterator<StagedRecord> eldest = me.waiting.values().iterator();
                stage.add(eldest.next());
                eldest.remove();
                me.waiting.put(record.key(), record);
                return;
            }
            // This side runs ahead: wait until the other side pairs some of ours, fills up, or ends.
            notifyAll();
            wait();
        }
    }

    /**
     * Ends a side whose records were all offered: waits until the other side ends too (its records
     * may still pair with this side's), then hands back what is left of this side to stage.
     */
    List<StagedRecord> finish(char side) throws InterruptedException {
        Side me = side(side);
        Side other = other(side);
        synchronized (this) {
            me.done = true;
            notifyAll();
            while (!other.done) {
                wait();
            }
            List<StagedRecord> rest = new ArrayList<>(me.waiting.values());
            rest.addAll(me.unequal);
            me.waiting.clear();
            me.unequal.clear();
            return rest;
        }
    }

    /** Ends a side that will offer nothing more, finished or not (its pull failed): the other side stops waiting for it. */
    synchronized void leave(char side) {
        side(side).done = true;
        notifyAll();
    }

    /** Records of the side dropped as one of an equal pair. */
    synchronized long paired(char side) {
        return side(side).paired;
    }

    private Side side(char side) {
        return switch (side) {
            case 'A' -> a;
            case 'B' -> b;
            default -> throw new IllegalArgumentException("No side " + side);
        };
    }

    private Side other(char side) {
        return side(side) == a ? b : a;
    }
}
