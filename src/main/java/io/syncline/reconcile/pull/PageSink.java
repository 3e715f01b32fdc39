package io.syncline.reconcile.pull;

import java.util.List;
import java.util.Map;

/** Takes each page of raw system records as it arrives (to stage it) before the next page is read. */
@FunctionalInterface
public interface PageSink {

    void accept(List<Map<String, Object>> page) throws Exception;
}
