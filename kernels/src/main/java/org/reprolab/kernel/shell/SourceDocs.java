package org.reprolab.kernel.shell;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Javadoc and source read from the sources of the classes a notebook uses. JShell's own
 * {@code documentation(..., true)} finds Javadoc only in the JDK's {@code src.zip}, so a
 * library's Javadoc (ours cites each paper) never reached Shift-Tab or {@code ?}. This class
 * looks for sources where builds leave them: for a class path jar, every {@code *-sources.jar}
 * in its directory (Maven's layout) or in a {@code sources} directory beside it (the build puts
 * the library's sources in {@code kernels/target/sources}, beside the kernel jar, and not among
 * the class path's jars, where javac would take them for sources to compile); for a class directory {@code M/target/classes}, {@code M/src/main/java};
 * a jar in a build's {@code M/target} the same; and the JDK's {@code src.zip}. A source file is only parsed (no compilation), with javac's
 * tree API.
 */
final class SourceDocs {

    /** One declaration found in a source file. */
    record Member(String header, String javadoc, String location, String source) {}

    private final List<Path> roots = new ArrayList<>();
    private final java.util.Set<Path> scannedDirectories = new java.util.HashSet<>();
    private final Map<String, Optional<Parsed>> parsed = new ConcurrentHashMap<>();

    private record Parsed(CompilationUnitTree unit, DocTrees trees, String text, String location) {}

    /** The JDK's module source roots, opened once for all sessions (src.zip stays open, as JShell keeps it). */
    private static final List<Path> JDK_ROOTS = jdkSources();

    SourceDocs() {
        roots.addAll(JDK_ROOTS);
    }

    /** Looks for the sources of a class path entry (a jar or a class directory), and of each in a {@code :}-separated list. */
    synchronized void addClassPath(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                Path module = path.getParent() == null ? null : path.getParent().getParent();
                if (path.endsWith(Path.of("target", "classes")) && module != null) {
                    addRoot(module.resolve("src/main/java"));
                }
            } else if (path.getFileName() != null && path.getFileName().toString().endsWith(".jar") && path.getParent() != null) {
                if (path.getParent().endsWith("target") && path.getParent().getParent() != null) {
                    // a jar a Maven build just made: its module's sources
                    addRoot(path.getParent().getParent().resolve("src/main/java"));
                }
                for (Path dir : List.of(path.getParent(), path.getParent().resolve("sources"))) {
                    if (Files.isDirectory(dir) && scannedDirectories.add(dir)) {
                        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*-sources.jar")) {
                            jars.forEach(this::addJar);
                        } catch (IOException e) {
                            // no sources here
                        }
                    }
                }
            }
        }
        parsed.clear();
    }

    /** The declarations named {@code member} (or the type itself when {@code member} is null) in type {@code qualifiedName}. */
    List<Member> find(String qualifiedName, String member) {
        String[] parts = qualifiedName.split("\\.");
        // a.b.Outer.Inner lives in a/b/Outer.java: try the longest package first
        for (int top = parts.length; top >= 1; top--) {
            String file = String.join("/", List.of(parts).subList(0, top)) + ".java";
            Optional<Parsed> source = parsed.computeIfAbsent(file, this::parse);
            if (source.isPresent()) {
                ClassTree type = findType(source.get().unit().getTypeDecls(), List.of(parts).subList(top - 1, parts.length));
                if (type != null) {
                    return members(source.get(), type, member, qualifiedName);
                }
            }
        }
        return List.of();
    }

    private List<Member> members(Parsed source, ClassTree type, String member, String qualifiedName) {
        List<Tree> found = new ArrayList<>();
        if (member == null) {
            found.add(type);
        } else {
            for (Tree t : type.getMembers()) {
                String name = switch (t) {
                    case MethodTree m -> m.getName().contentEquals("<init>") ? type.getSimpleName().toString() : m.getName().toString();
                    case VariableTree v -> v.getName().toString();
                    case ClassTree c -> c.getSimpleName().toString();
                    default -> "";
                };
                if (name.equals(member)) {
                    found.add(t);
                }
            }
        }
        List<Member> result = new ArrayList<>();
        SourcePositions positions = source.trees().getSourcePositions();
        for (Tree t : found) {
            int start = (int) positions.getStartPosition(source.unit(), t);
            int end = (int) positions.getEndPosition(source.unit(), t);
            if (start < 0 || end < start) {
                continue;
            }
            String text = source.text().substring(start, end);
            String comment = source.trees().getDocComment(TreePath.getPath(source.unit(), t));
            long line = source.unit().getLineMap().getLineNumber(start);
            String header = header(text, t);
            if (t == type) {
                // the type's header names it in full: {@code public final class java.lang.Math}
                header = header.replaceFirst("\\b" + type.getSimpleName() + "\\b", qualifiedName);
            }
            // from the start of its line, so that the shown source keeps its indentation
            int lineStart = source.text().lastIndexOf('\n', start - 1) + 1;
            String shown = source.text().substring(lineStart, start).isBlank() ? source.text().substring(lineStart, end) : text;
            result.add(new Member(header, comment, source.location() + ":" + line, shown));
        }
        return result;
    }

    /** The declaration up to its body or initialiser, annotations dropped, on one line. */
    private static String header(String text, Tree tree) {
        int cut = switch (tree) {
            case MethodTree m -> text.indexOf('{') < 0 ? text.length() : text.indexOf('{');
            case ClassTree c -> text.indexOf('{') < 0 ? text.length() : text.indexOf('{');
            case VariableTree v -> text.indexOf('=') < 0 ? text.length() : text.indexOf('=');
            default -> text.length();
        };
        return text.substring(0, cut).replaceAll("@\\w+(\\([^)]*\\))?\\s*", "").replaceAll("\\s+", " ").replaceAll(";$", "").strip();
    }

    private static ClassTree findType(List<? extends Tree> declarations, List<String> names) {
        for (Tree t : declarations) {
            if (t instanceof ClassTree c && c.getSimpleName().contentEquals(names.getFirst())) {
                return names.size() == 1 ? c : findType(c.getMembers(), names.subList(1, names.size()));
            }
        }
        return null;
    }

    private Optional<Parsed> parse(String file) {
        List<Path> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(roots);
        }
        for (Path root : snapshot) {
            Path path = root.resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            try {
                String text = Files.readString(path);
                JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
                JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + file), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return text;
                    }
                };
                JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(source));
                CompilationUnitTree unit = task.parse().iterator().next();
                return Optional.of(new Parsed(unit, DocTrees.instance(task), text, describe(root, file)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String describe(Path root, String file) {
        FileSystem fs = root.getFileSystem();
        if (fs == FileSystems.getDefault()) {
            return root.resolve(file).toString();
        }
        return fs.toString() + "!/" + root.resolve(file).toString().replaceFirst("^/", "");
    }

    private void addRoot(Path root) {
        if (Files.isDirectory(root) && !roots.contains(root)) {
            roots.add(root);
        }
    }

    private void addJar(Path jar) {
        try {
            FileSystem fs = FileSystems.newFileSystem(jar);
            addRoot(fs.getRootDirectories().iterator().next());
        } catch (IOException | RuntimeException e) {
            // not a readable jar
        }
    }

    /** The JDK's {@code src.zip}, one root per module directory. */
    private static List<Path> jdkSources() {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        List<Path> modules = new ArrayList<>();
        if (Files.isReadable(srcZip)) {
            try {
                FileSystem fs = FileSystems.newFileSystem(srcZip);
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(fs.getRootDirectories().iterator().next())) {
                    dirs.forEach(modules::add);
                }
            } catch (IOException | RuntimeException e) {
                // no JDK sources
            }
        }
        return List.copyOf(modules);
    }
}
