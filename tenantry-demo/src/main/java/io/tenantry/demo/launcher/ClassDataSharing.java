package io.tenantry.demo.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Application class-data sharing for the children, so that ten JVMs on a few cores start sooner: the
 * first run lets one child per role (control plane, service) write the classes it loaded into an
 * archive when it exits ({@code -XX:ArchiveClassesAtExit}); later runs map that archive
 * ({@code -XX:SharedArchiveFile}) instead of loading and verifying those classes again. The archive's
 * name is a hash of the java executable and every classpath jar's path, size and time, so a rebuild or
 * another JDK makes a new one (older ones of the role are deleted). Only for a classpath of jars (CDS
 * cannot archive classes from directories, e.g. {@code target/classes}); otherwise nothing is added.
 * A missing or unusable archive only costs the speed-up ({@code -Xshare:auto}). Immutable.
 */
final class ClassDataSharing {
  private final Path directory;
  private final String key;

  private ClassDataSharing(Path directory, String key) {
    this.directory = directory;
    this.key = key;
  }

  /** CDS for children run by {@code javaExecutable} with {@code classpath}, archives in {@code directory}; null if impossible. */
  static ClassDataSharing of(Path javaExecutable, String classpath, Path directory) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(javaExecutable.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
      for (String entry : classpath.split(File.pathSeparator)) {
        Path jar = Path.of(entry).toAbsolutePath();
        if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
          return null; // a directory or a missing entry: CDS cannot archive it
        }
        BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
        sha.update((jar + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      return new ClassDataSharing(directory, HexFormat.of().formatHex(sha.digest(), 0, 8));
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }

  /**
   * The JVM options of a child of {@code role}: use the archive when there is one; else, if
   * {@code writer}, write it at exit (exactly one child per role may write, so writers never collide).
   */
  List<String> options(String role, boolean writer) {
    Path archive = directory.resolve(role + "-" + key + ".jsa");
    if (Files.isRegularFile(archive)) {
      return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
    }
    if (!writer) {
      return List.of();
    }
    try {
      Files.createDirectories(directory);
      deleteOlder(role, archive);
    } catch (IOException e) {
      return List.of();
    }
    return List.of("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
  }

  private void deleteOlder(String role, Path keep) throws IOException {
    try (DirectoryStream<Path> old = Files.newDirectoryStream(directory, role + "-*.jsa")) {
      for (Path p : old) {
        if (!p.equals(keep)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
