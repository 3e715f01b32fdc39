package io.syncline.connector.endpoint;

import io.syncline.model.Environment;

import java.util.List;
import java.util.Map;

/**
 * Folders on an SFTP server ({@code sftp://host:22/folder?…}) as Camel-endpoint systems: the
 * system's login ({@code sftp:}) is added to its URIs as the options of Camel's SFTP component,
 * the host key always checked against the known-hosts file and never taken on first sight, the
 * user's own {@code ~/.ssh/known_hosts} never read. A URI may not write these options itself: a
 * password there would be a secret in the model, and {@code strictHostKeyChecking=no} would accept
 * any server that answers in the real one's place.
 */
final class SftpFolders {

    static final String SCHEME = "sftp";
    /** The options Syncline sets from the system's {@code sftp:} login. */
    static final List<String> OWNED = List.of("username", "password", "privateKey", "privateKeyFile", "privateKeyUri",
            "privateKeyPassphrase", "knownHosts", "knownHostsFile", "knownHostsUri", "strictHostKeyChecking",
            "useUserKnownHostsFile");

    private SftpFolders() {
    }

    static boolean is(String uri) {
        return uri != null && SCHEME.equals(EndpointSettings.scheme(uri));
    }

    /** The first of the options Syncline owns that {@code uri} writes itself; null where it writes none. */
    static String ownedOption(String uri) {
        Map<String, String> options = EndpointUris.options(uri);
        return OWNED.stream().filter(options::containsKey).findFirst().orElse(null);
    }

    /** {@code uri} with the login's options; secrets as RAW values, which Camel masks wherever it shows a URI. */
    static String endpoint(String uri, EndpointSettings.SftpLogin login, Environment environment) {
        if (login == null) {
            return uri;
        }
        StringBuilder built = new StringBuilder(uri).append(uri.indexOf('?') < 0 ? '?' : '&');
        built.append("username=").append(login.username());
        String password = EndpointSettings.resolve(login.password(), environment);
        if (password != null) {
            built.append("&password=RAW(").append(password).append(')');
        }
        if (login.privateKeyFile() != null) {
            built.append("&privateKeyFile=").append(login.privateKeyFile());
        }
        String passphrase = EndpointSettings.resolve(login.privateKeyPassphrase(), environment);
        if (passphrase != null) {
            built.append("&privateKeyPassphrase=RAW(").append(passphrase).append(')');
        }
        return built.append("&knownHostsFile=").append(login.knownHostsFile())
                .append("&strictHostKeyChecking=yes&useUserKnownHostsFile=false").toString();
    }
}
