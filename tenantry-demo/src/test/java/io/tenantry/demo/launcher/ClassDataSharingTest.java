package io.tenantry.demo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CDS options a child gets: write once per role, then map; none for a classpath with directories. */
class ClassDataSharingTest {
  @TempDir
  Path dir;

  @Test
  void firstRun_oneWriterPerRole_thenEveryChildMapsTheArchive() throws Exception {
    Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
    Path archives = dir.resolve("class-data");
    ClassDataSharing cds = ClassDataSharing.of(Path.of("/usr/bin/java"), jar.toString(), archives);

    List<String> writer = cds.options("service", true);
    assertThat(writer).singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=" + archives.toAbsolutePath());
    assertThat(cds.options("service", false)).isEmpty();

    Path archive = Path.of(writer.get(0).substring(writer.get(0).indexOf('=') + 1));
    Files.write(archive, new byte[] {1}); // what the writer leaves when it exits
    assertThat(cds.options("service", false)).containsExactly("-XX:SharedArchiveFile=" + archive);
    assertThat(cds.options("control-plane", false)).isEmpty();
  }

  @Test
  void aRebuiltJar_makesANewArchive_andTheOldOneIsDeleted() throws Exception {
    Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
    Path archives = dir.resolve("class-data");
    List<String> first = ClassDataSharing.of(Path.of("/usr/bin/java"), jar.toString(), archives).options("service", true);
    Path old = Path.of(first.get(0).substring(first.get(0).indexOf('=') + 1));
    Files.write(old, new byte[] {1});

    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    List<String> second = ClassDataSharing.of(Path.of("/usr/bin/java"), jar.toString(), archives).options("service", true);

    assertThat(second).singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=").doesNotContain(old.toString());
    assertThat(old).doesNotExist();
  }

  @Test
  void aDirectoryOnTheClasspath_meansNoSharing() throws Exception {
    Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertThat(ClassDataSharing.of(Path.of("/usr/bin/java"), jar + File.pathSeparator + classes, dir)).isNull();
  }
}
