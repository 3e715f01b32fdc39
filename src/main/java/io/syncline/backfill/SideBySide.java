package io.syncline.backfill;

import org.apache.camel.util.concurrent.CamelThreadFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Records decided side by side on a pool of daemon threads of their own (a dry run's pages, a
 * plan's records): the results in the records' order. The first record that fails cancels those
 * not yet begun, and its failure is thrown as the work threw it.
 */
public final class SideBySide implements AutoCloseable {

    /** What one record comes to, decided on one of the pool's threads. */
    @FunctionalInterface
    public interface Work<R, T> {

        List<T> decide(R record) throws Exception;
    }

    private final ExecutorService workers;

    /** @param name the threads' name ({@code plan-1}, {@code plan-2}, …) */
    public SideBySide(int threads, String name) {
        this.workers = Executors.newFixedThreadPool(threads, new CamelThreadFactory("#name#-#counter#", name, true));
    }

    public <R, T> List<T> each(List<R> records, Work<R, T> work) throws Exception {
        List<CompletableFuture<List<T>>> decided = new ArrayList<>(records.size());
        for (R record : records) {
            decided.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return work.decide(record);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, workers));
        }
        List<T> results = new ArrayList<>(records.size());
        try {
            for (CompletableFuture<List<T>> record : decided) {
                results.addAll(record.join());
            }
        } catch (CompletionException e) {
            decided.forEach(record -> record.cancel(false));
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return results;
    }

    /** Stops the threads, interrupting the records under way. */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
