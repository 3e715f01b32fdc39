package io.syncline.connector.mongodb;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.Watermark;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a MongoDB collection page by page in key order ({@code _id}), each page starting after the
 * last key of the one before, so a page is found by the index every collection has and a record
 * written meanwhile is neither read twice nor skipped for having shifted an offset. A read of
 * changes pages by the mapping's modification time, then key, after the watermark.
 */
final class MongoPuller implements RecordPuller {

    private final Function<PullRequest, MongoCollection> collections;

    MongoPuller(Function<PullRequest, MongoCollection> collections) {
        this.collections = collections;
    }

    @Override
    public boolean countsRepeatedKeys(PullRequest request) {
        return request.changes() == null;
    }

    @Override
    public PullResult pull(PullRequest request, PageSink sink) throws PullException {
        MongoCollection collection = collections.apply(request);
        int size = Math.max(1, request.pageSize());
        long pages = 0;
        long records = 0;
        Object lastKey = request.changes() == null ? request.after() : null;
        Watermark mark = request.changes() == null ? null : request.changes().after();
        try {
            while (true) {
                List<Map<String, Object>> page = collection.find(filter(request, lastKey, mark), order(request), size);
                if (page.isEmpty()) {
                    break;
                }
                Map<String, Object> last = page.get(page.size() - 1);
                lastKey = last.get(request.mapping().key());
                if (request.changes() != null) {
                    mark = new Watermark(Instant.parse(String.valueOf(last.get(request.changes().path()))), lastKey);
                }
                pages++;
                records += page.size();
                sink.accept(new ArrayList<>(page));
                if (page.size() < size) {
                    break;
                }
            }
        } catch (PullException e) {
            throw e;
        } catch (Exception e) {
            throw new PullException("Reading " + request.systemName() + "'s " + request.entity() + " failed after " + records
                    + " records: " + e.getMessage(), e);
        }
        PullResult result = PullResult.complete(pages, records, null);
        return request.changes() == null ? result.withRepeatedKeys(0) : result;
    }

    private static Bson order(PullRequest request) {
        return request.changes() == null ? Sorts.ascending(MongoCollection.ID)
                : Sorts.ascending(request.changes().path(), MongoCollection.ID);
    }

    private static Bson filter(PullRequest request, Object lastKey, Watermark mark) {
        List<Bson> terms = new ArrayList<>();
        if (request.keys() != null) {
            terms.add(Filters.in(MongoCollection.ID, request.keys().stream().map(String::valueOf).toList()));
        }
        if (request.changes() == null) {
            if (lastKey != null) {
                terms.add(Filters.gt(MongoCollection.ID, String.valueOf(lastKey)));
            }
        } else {
            String path = request.changes().path();
            terms.add(Filters.exists(path));
            if (mark != null && mark.at() != null) {
                Date at = Date.from(mark.at());
                terms.add(mark.key() == null ? Filters.gt(path, at)
                        : Filters.or(Filters.gt(path, at),
                                Filters.and(Filters.eq(path, at), Filters.gt(MongoCollection.ID, String.valueOf(mark.key())))));
            }
        }
        return terms.isEmpty() ? new org.bson.Document() : Filters.and(terms);
    }
}
