package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprolab.kernel.shell.CellException;
import org.reprolab.kernel.shell.JShellSession;

/** The magics of issue 17, as IJava documents them; Maven runs offline against a file:// repository made here. */
class MagicsTest {

    private static JShellSession session;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in);
        Path root = Path.of(System.getProperty("reprolab.root", ".")).toAbsolutePath();
        System.setProperty(MavenResolver.COMMAND_PROPERTY, root.resolve("mvnw").toString());
        // offline: the dependency plugin comes from ~/.m2 (read-only tail), the test artifacts from file://
        System.setProperty(MavenResolver.ARGS_PROPERTY, "-o -Daether.offline.protocols=file -Dmaven.repo.local=" + dir.resolve("m2")
                + " -Dmaven.repo.local.tail=" + Path.of(System.getProperty("user.home"), ".m2", "repository"));
    }

    @AfterAll
    static void stop() {
        System.clearProperty(MavenResolver.COMMAND_PROPERTY);
        System.clearProperty(MavenResolver.ARGS_PROPERTY);
        session.close();
    }

    private static Object run(Magics magics, String cell) {
        Magics.Cell rest = magics.apply(cell, session, 1);
        return session.eval(rest.code(), 1, rest.firstLine()).value();
    }

    @Test
    void lsmagicListsEveryMagicWithItsHelp() {
        String text = Magics.lsmagic();
        for (Magics.Magic m : Magics.MAGICS) {
            assertTrue(text.contains(m.usage() + " ") && text.contains(m.help()), m.name() + " in\n" + text);
        }
        assertTrue(text.contains("NAME??"), text);
    }

    @Test
    void anUnknownMagicIsAClearError() {
        CellException e = assertThrows(CellException.class, () -> new Magics().apply("%nosuch 1\n1", session, 1));
        assertEquals("MagicError", e.name());
        assertTrue(e.getMessage().contains("unknown magic %nosuch") && e.getMessage().contains("%lsmagic"), e.getMessage());
        CellException usage = assertThrows(CellException.class, () -> new Magics().apply("%mavenRepo onlyAnId", session, 1));
        assertTrue(usage.getMessage().contains("usage: %mavenRepo ID URL"), usage.getMessage());
    }

    /**
     * Issue 18: the kernel does not carry Apache Spark; a notebook gets it only by asking ({@code %spark}, which the
     * spark module's tests run against real clusters). Without it {@code Cluster.spark} says what to do, and
     * {@code %spark DIR} refuses a folder without Spark in it.
     */
    @Test
    void sparkIsOffTheKernelsClassPathUntilACellAsksForIt() throws IOException {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"));
        CellException e = assertThrows(CellException.class, () -> run(new Magics(), "org.reprolab.lab.Cluster.spark(\"local[2]\")"));
        assertTrue(e.getMessage().contains("reprolab-spark module is not on the class path") && e.getMessage().contains("%spark"), e.getMessage());
        Path noSpark = Files.createDirectories(dir.resolve("no-spark"));
        jar(noSpark.resolve("other.jar"), "nospark", "Other", "not spark");
        CellException magic = assertThrows(CellException.class, () -> new Magics().apply("%spark " + noSpark, session, 1));
        assertTrue(magic.getMessage().contains("no spark-core jar in"), magic.getMessage());
    }

    @Test
    void jarsAddsWhatAGlobMatches() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        jar(jars.resolve("greeter-a.jar"), "globbed", "GreeterA", "from a glob");
        Files.writeString(jars.resolve("notes.txt"), "not a jar");
        assertEquals("from a glob", run(new Magics(), "%jars " + jars + "/greeter-*.jar\nglobbed.GreeterA.hi()"));
        CellException none = assertThrows(CellException.class, () -> new Magics().apply("%jars " + jars + "/*.zip", session, 1));
        assertTrue(none.getMessage().contains("nothing matches"), none.getMessage());
    }

    @Test
    void loadRunsAScriptAsTheCellOrBeforeTheRestOfIt() throws IOException {
        Path script = Files.writeString(dir.resolve("setup.jsh"), "int loadedA = 20;\nint loadedB = 22;\nloadedA + loadedB\n");
        assertEquals(42, run(new Magics(), "%load " + script));
        assertEquals(40, run(new Magics(), "%load " + script + "\nloadedA * 2"));
        CellException missing = assertThrows(CellException.class, () -> new Magics().apply("%load " + dir.resolve("none.jsh"), session, 1));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());
    }

    @Test
    void mavenRepoAndLoadFromPomResolveFromALocalRepository() throws IOException {
        Path repo = dir.resolve("repo");
        publish(repo, "greeter", "1.0", "mavenA", "Hello", "from a maven repo");
        publish(repo, "greeter", "2.0", "mavenB", "Hello", "from a pom");
        Magics magics = new Magics();
        assertEquals("from a maven repo", run(magics, "%mavenRepo local " + repo.toUri() + "\n%maven org.reprolab.magictest:greeter:1.0\nmavenA.Hello.hi()"));
        Path pom = Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                  <groupId>x</groupId><artifactId>y</artifactId><version>1</version>
                  <repositories><repository><id>local</id><url>%s</url></repository></repositories>
                  <dependencies><dependency><groupId>org.reprolab.magictest</groupId><artifactId>greeter</artifactId><version>2.0</version></dependency></dependencies>
                </project>""".formatted(repo.toUri()));
        assertEquals("from a pom", run(new Magics(), "%loadFromPOM " + pom + "\nmavenB.Hello.hi()"));
    }

    /** IJava's {@code %loadFromPOM POM [SCOPE...]}: runtime unless named, several scopes add each one's jars. */
    @Test
    void loadFromPomTakesSeveralScopes() throws IOException {
        Path repo = dir.resolve("scoped-repo");
        publish(repo, "compiled", "1.0", "mavenC", "Hello", "compile scope");
        publish(repo, "provided", "1.0", "mavenD", "Hello", "provided scope");
        Path pom = Files.writeString(dir.resolve("scoped-pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                  <groupId>x</groupId><artifactId>scoped</artifactId><version>1</version>
                  <repositories><repository><id>local</id><url>%s</url></repository></repositories>
                  <dependencies>
                    <dependency><groupId>org.reprolab.magictest</groupId><artifactId>compiled</artifactId><version>1.0</version></dependency>
                    <dependency><groupId>org.reprolab.magictest</groupId><artifactId>provided</artifactId><version>1.0</version><scope>provided</scope></dependency>
                  </dependencies>
                </project>""".formatted(repo.toUri()));
        assertEquals("compile scope", run(new Magics(), "%loadFromPOM " + pom + "\nmavenC.Hello.hi()"));
        CellException absent = assertThrows(CellException.class, () -> session.eval("mavenD.Hello.hi()", 1, 1));
        assertTrue(absent.getMessage().contains("mavenD"), "a provided dependency is not added by default: " + absent.getMessage());
        assertEquals("provided scope", run(new Magics(), "%loadFromPOM " + pom + " runtime provided import\nmavenD.Hello.hi()"));
        CellException badScope = assertThrows(CellException.class, () -> new Magics().apply("%loadFromPOM " + pom + " runtime shipping", session, 1));
        assertTrue(badScope.getMessage().contains("scope 'shipping'"), badScope.getMessage());
    }

    /** The cell magic on fragments pasted from a README, and IJava's long names for %maven and %mavenRepo. */
    @Test
    void theCellMagicAndTheLongNamesResolveToo() throws IOException {
        Path repo = dir.resolve("fragment-repo");
        publish(repo, "pasted", "1.0", "mavenE", "Hello", "from fragments");
        publish(repo, "aliased", "1.0", "mavenF", "Hello", "from the long names");
        Magics.Cell rest = new Magics().apply("""
                %%%%loadFromPOM
                <repository>
                  <id>readme</id>
                  <url>%s</url>
                </repository>

                <dependency>
                  <groupId>org.reprolab.magictest</groupId>
                  <artifactId>pasted</artifactId>
                  <version>1.0</version>
                </dependency>""".formatted(repo.toUri()), session, 1);
        assertEquals("", rest.code(), "the cell is the pom: nothing is left to run");
        assertEquals("from fragments", session.eval("mavenE.Hello.hi()", 1, 1).value());
        assertEquals("from the long names", run(new Magics(), "%addMavenRepo aliased " + repo.toUri()
                + "\n%addMavenDependencies org.reprolab.magictest:aliased:1.0\nmavenF.Hello.hi()"));
    }

    @Test
    void pomFragmentsFromAReadmeBecomeAPom() {
        String pom = MavenResolver.pomFromFragments("""
                <repository><id>snap</id><url>https://example.org/snapshots</url></repository>
                <dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>""");
        assertTrue(pom.contains("<repositories>\n<repository><id>snap</id>"), pom);
        assertTrue(pom.contains("<dependencies>\n<dependency><groupId>g</groupId>"), pom);
        assertThrows(IllegalArgumentException.class, () -> MavenResolver.pomFromFragments("<repository/>"));
        assertEquals("<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.0</version><type>jar</type><classifier>linux</classifier></dependency>",
                MavenResolver.dependency("g:a:jar:linux:1.0"));
    }

    /** A jar with {@code pkg.cls.hi()} returning {@code greeting}, and its pom, in a Maven repository layout. */
    private static void publish(Path repo, String artifact, String version, String pkg, String cls, String greeting) throws IOException {
        Path home = Files.createDirectories(repo.resolve("org/reprolab/magictest").resolve(artifact).resolve(version));
        jar(home.resolve(artifact + "-" + version + ".jar"), pkg, cls, greeting);
        Files.writeString(home.resolve(artifact + "-" + version + ".pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                <groupId>org.reprolab.magictest</groupId><artifactId>%s</artifactId><version>%s</version></project>
                """.formatted(artifact, version));
    }

    private static void jar(Path jar, String pkg, String cls, String greeting) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path java = Files.writeString(src.resolve(cls + ".java"),
                "package " + pkg + "; public class " + cls + " { public static String hi() { return \"" + greeting + "\"; } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.toString(), java.toString()));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(pkg + "/" + cls + ".class"));
            out.write(Files.readAllBytes(src.resolve(pkg).resolve(cls + ".class")));
            out.closeEntry();
        }
    }
}
