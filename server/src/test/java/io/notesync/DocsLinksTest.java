package io.notesync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/*.md names a file of this repository that exists, so
 * a fresh clone has what the documentation points at (a link out of the repository, such as the
 * old ../shared/PROTOCOL.md, fails too).
 */
class DocsLinksTest {

    /** {@code [text](target)} and {@code ![alt](target "title")}; the target up to a space or ')'. */
    private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    @Test
    void relativeLinksInTheReadmeAndDocsNameFilesThatExist() throws IOException {
        Path root = repositoryRoot();
        List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            for (String target : relativeTargets(Files.readString(document))) {
                checked++;
                Path file = document.getParent().resolve(URLDecoder.decode(target, StandardCharsets.UTF_8)).normalize();
                if (!file.startsWith(root) || !Files.exists(file)) {
                    broken.add(root.relativize(document) + ": " + target);
                }
            }
        }
        assertTrue(broken.isEmpty(), "links to files that do not exist in the repository: " + broken);
        assertTrue(checked >= 5, "expected the README to link some files; found " + checked + " links");
    }

    @Test
    void theCheckSeesABrokenLinkAndIgnoresOthers() {
        assertFalse(relativeTargets("see [x](../shared/PROTOCOL.md) and ![y](docs/a.png \"t\")").isEmpty());
        assertTrue(relativeTargets("[a](https://example.com/x.md) [b](#section) [c](mailto:a@b.c) [d](/client/x.js)").isEmpty());
        assertTrue(relativeTargets("```\n[a](missing.md)\n```").isEmpty());
        assertTrue(relativeTargets("one `- [mm:ss](link) text` line").isEmpty());
    }

    /** Relative file links outside code blocks and inline code, without their #fragment. */
    static List<String> relativeTargets(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean inCode = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            // Inline code (`[mm:ss](link)` shown as an example) is not a link either.
            Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (matcher.find()) {
                String target = matcher.group(1);
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                // Absolute URLs, in-page anchors and server paths (the running server's routes) are not files here.
                if (path.isEmpty() || path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || path.startsWith("/")) {
                    continue;
                }
                targets.add(path);
            }
        }
        return targets;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no README.md with a docs/ directory above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
