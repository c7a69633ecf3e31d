package io.notesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's code map names every package under {@code io.notesync} once, and its last column
 * lists exactly the notesync packages each one imports, so the map a newcomer reads first stays
 * the code's.
 */
class CodeMapTest {

    /** {@code | `name` | what | `a`, `b` |} or {@code ... | none |}; the first column a bare package name. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|.*\\| ([^|]*) \\|$");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.notesync\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern NAMED = Pattern.compile("`([a-z]+)`");

    @Test
    void theReadmesCodeMapListsEveryPackageWithWhatItImports() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("server/src/main/java/io/notesync"))) {
            root = root.getParent();
            assertTrue(root != null, "no server/src/main/java/io/notesync above the working directory");
        }
        Map<String, Set<String>> actual = new TreeMap<>();
        Path sources = root.resolve("server/src/main/java/io/notesync");
        try (Stream<Path> packages = Files.list(sources)) {
            for (Path dir : packages.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                Set<String> imports = new TreeSet<>();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher m = IMPORT.matcher(Files.readString(file));
                        while (m.find()) {
                            imports.add(m.group(1));
                        }
                    }
                }
                imports.remove(name);
                actual.put(name, imports);
            }
        }
        assertEquals(actual, readmeMap(Files.readString(root.resolve("README.md"))),
                "README.md's code map (package -> the notesync packages it imports) against the sources");
    }

    @Test
    void theMapIsReadFromTheTablesLastColumn() {
        assertEquals(Map.of("a", Set.of("b", "c"), "d", Set.of()),
                readmeMap("| `a` | uses `x` here | `b`, `c`, and `NotesyncServer` for `serve` |\n| `d` | what | none |\n| `server/` | a path | x |"));
    }

    static Map<String, Set<String>> readmeMap(String readme) {
        Map<String, Set<String>> map = new TreeMap<>();
        for (String line : readme.split("\n")) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                Set<String> imports = new TreeSet<>();
                // "and NotesyncServer for `serve`": the top-level class and a command, not packages.
                Matcher named = NAMED.matcher(row.group(2).replaceAll(", and .*$", ""));
                while (named.find()) {
                    imports.add(named.group(1));
                }
                map.put(row.group(1), imports);
            }
        }
        return map;
    }
}
