package io.syncline.reconcile;

import io.syncline.connector.spi.PageSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stages one side while it is being pulled, on three kinds of thread: the puller hands each page
 * over and goes on reading; the run's transform workers read the page through the contract and
 * hash it; one writer streams the staged records into the side's partition (binary COPY) and its
 * value file. Besides the page the puller holds, at most {@code chunksInFlight} chunks of
 * {@value #CHUNK} records of the side are between the puller and the writer at any time, so the
 * heap holds a bounded number of records whatever the side's size. With a {@link PairingWindow},
 * the writer stages only what the window hands back: records the other side holds equal are dropped.
 * The first failure stops the pull at its next page and is thrown by {@link #finish()}.
 */
final class StagingPipeline implements PageSink {

    private static final Object END = new Object();
    /** Records a worker stages at a time. */
    static final int CHUNK = 500;

    private final RecordStager stager;
    private final char side;
    private final PairingWindow window;
    private final Executor workers;
    private final StagingCopy copy;
    private final ValueSpill spill;
    private final int chunksInFlight;
    private final Semaphore slots;
    private final BlockingQueue<Object> staged;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread writer;
    /** Records the workers staged (keyed records) and, of them, those written to the COPY. */
    private long handled;
    private long written;

    /**
     * @param window pairs this side's records with the other side's before staging, or null to stage every record
     */
    StagingPipeline(String name, RecordStager stager, char side, PairingWindow window, Executor workers, StagingCopy copy,
            ValueSpill spill, int chunksInFlight) {
        this.stager = stager;
        this.side = side;
        this.window = window;
        this.workers = workers;
        this.copy = copy;
        this.spill = spill;
        this.chunksInFlight = chunksInFlight;
        this.slots = new Semaphore(chunksInFlight);
        // One slot per chunk in flight, plus the end mark: a worker's put never waits.
        this.staged = new ArrayBlockingQueue<>(chunksInFlight + 1);
        this.writer = new Thread(this::write, name + "-stage");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(List<Map<String, Object>> page) throws Exception {
        // In chunks, copied out of the page: the workers share a page out evenly, and each chunk's
        // raw records can be collected as soon as it is staged, not when the whole page is.
        for (int from = 0; from < page.size(); from += CHUNK) {
            rethrow();
            List<Map<String, Object>> chunk = new ArrayList<>(page.subList(from, Math.min(page.size(), from + CHUNK)));
            slots.acquire();
            try {
                workers.execute(() -> {
                    try {
                        staged.add(stager.stage(chunk));
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
        }
    }

    /**
     * Waits for every record handed over to be written (with a window: for the other side to
     * finish too, and writes this side's records left unpaired), ends the COPY and the value file.
     *
     * @return the records with a key (keys seen twice included), written or dropped as one of an equal pair
     * @throws Exception the first failure of a worker or the writer
     */
    long finish() throws Exception {
        try {
            drain();
            rethrow();
            if (window != null) {
                for (StagedRecord record : window.finish(side)) {
                    write(record);
                }
            }
            copy.finish();
            spill.finishWriting();
            return handled;
        } finally {
            leave();
        }
    }

    /** Records written to the COPY, after {@link #finish()}. */
    long written() {
        return written;
    }

    /** Stops after a failed pull: waits for the chunks in flight, then leaves the COPY to be cancelled on close. */
    void abandon() throws InterruptedException {
        failure.compareAndSet(null, new IllegalStateException("the pull failed"));
        try {
            drain();
        } finally {
            leave();
        }
    }

    private void leave() {
        if (window != null) {
            window.leave(side);
        }
    }

    private void drain() throws InterruptedException {
        slots.acquire(chunksInFlight);
        slots.release(chunksInFlight);
        staged.add(END);
        writer.join();
    }

    @SuppressWarnings("unchecked")
    private void write() {
        try {
            for (Object item; (item = staged.take()) != END;) {
                try {
                    if (failure.get() == null) {
                        List<StagedRecord> records = (List<StagedRecord>) item;
                        handled += records.size();
                        for (StagedRecord record : window == null ? records : window.offer(side, records)) {
                            write(record);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    // Keep taking after a failure: a worker must never wait for a slot nobody frees.
                    slots.release();
                }
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
        }
    }

    private void write(StagedRecord record) throws Exception {
        copy.add(record, spill.append(record.values()));
        written++;
    }

    private void rethrow() throws Exception {
        Throwable e = failure.get();
        if (e instanceof Exception exception) {
            throw exception;
        }
        if (e instanceof Error error) {
            throw error;
        }
    }
}
