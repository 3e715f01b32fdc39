package io.syncline.testsupport;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.List;

/**
 * An SFTP server of Apache MINA SSHD in the tests' JVM, on a free port: one user with a password,
 * its files in a temporary folder ({@link #root()}), and a host key of its own, whose line in
 * {@code known_hosts} form {@link #knownHostsFile()} holds, as a client is given it.
 */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "partner";
    public static final String PASSWORD = "sftp-test-password";

    private final SshServer server;
    private final Path root;
    private final Path knownHosts;

    private SftpServer(SshServer server, Path root, Path knownHosts) {
        this.server = server;
        this.root = root;
        this.knownHosts = knownHosts;
    }

    public static SftpServer started() {
        try {
            Path dir = Files.createTempDirectory("syncline-sftp");
            Path root = Files.createDirectories(dir.resolve("root"));
            SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(dir.resolve("host-key"));
            keys.setAlgorithm("RSA");
            keys.setKeySize(2048);
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(keys);
            server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setFileSystemFactory(new VirtualFileSystemFactory(root));
            server.start();
            KeyPair key = keys.loadKeys(null).iterator().next();
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n",
                    StandardCharsets.UTF_8);
            return new SftpServer(server, root, knownHosts);
        } catch (IOException e) {
            throw new IllegalStateException("The SFTP server did not start", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The folder the user sees as {@code /}. */
    public Path root() {
        return root;
    }

    public Path knownHostsFile() {
        return knownHosts;
    }

    /**
     * Puts a file in {@code folder} as a careful sender does: written under another name beside the
     * folder, then renamed into it, so that no reader ever sees it half written.
     */
    public void drop(String folder, String name, byte[] content) {
        try {
            Path target = Files.createDirectories(root.resolve(folder));
            Path aside = Files.createDirectories(root.resolve(".incoming")).resolve(name);
            Files.write(aside, content);
            Files.move(aside, target.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RouteFolders.delete(root.getParent());
    }
}
