package io.syncline.connector.endpoint;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * What an export's folder is and how its files are named and written: a {@code file:} or
 * {@code sftp:} folder, each run's file written under a hidden name and renamed when it is whole
 * (Camel's {@code tempPrefix}), a run done again replacing its own file ({@code fileExist=Override}).
 */
final class Exports {

    /** The options Syncline sets on an export's folder. */
    static final List<String> OWNED = List.of("fileName", "fileExist", "tempPrefix", "tempFileName", "doneFileName",
            "moveExisting");
    /** The prefix of a file being written: hidden, so that no reader of the folder takes it half-written. */
    static final String WRITING_PREFIX = ".syncline-";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Exports() {
    }

    /** Whether {@code uri} is a folder an export can write its files to. */
    static boolean writable(String uri) {
        return uri != null && (SftpFolders.is(uri) || "file".equals(EndpointSettings.scheme(uri)));
    }

    /** The first option Syncline sets that {@code uri} writes itself; null where it writes none. */
    static String ownedOption(String uri) {
        Map<String, String> options = EndpointUris.options(uri);
        return OWNED.stream().filter(options::containsKey).findFirst().orElse(null);
    }

    /** {@code uri} with the options that write a run's file aside, rename it when whole, and replace a file of its name. */
    static String endpoint(String uri) {
        return uri + (uri.indexOf('?') < 0 ? '?' : '&') + "fileExist=Override&tempPrefix=" + WRITING_PREFIX;
    }

    /** The file name {@code pattern} gives the entity's run {@code run}, started at {@code start}. */
    static String fileName(String pattern, String entity, int run, Instant start) {
        return pattern.replace("{entity}", entity).replace("{run}", String.valueOf(run)).replace("{time}", TIME.format(start));
    }
}
