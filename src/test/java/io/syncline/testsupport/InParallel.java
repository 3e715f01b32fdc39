package io.syncline.testsupport;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Tasks run side by side, as concurrent senders would: a test's storm of orders or events. */
public final class InParallel {

    private InParallel() {
    }

    /** Runs the tasks on {@code threads} threads at once, and waits for each: a failure of any fails the caller. */
    public static void run(int threads, List<Callable<Object>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Object> each : pool.invokeAll(tasks, 5, TimeUnit.MINUTES)) {
                each.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
