package io.notesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md, docs/*.md and the other READMEs of the repository
 * (protocol-tests/, bench/reports/, ...) names a file of this repository that exists, and a
 * {@code #fragment} into a Markdown file names one of its headings, so a fresh clone has what the
 * documentation points at (a link out of the repository, such as one to a sibling folder,
 * fails too).
 */
class DocsLinksTest {

    /** {@code [text](target)} and {@code ![alt](target "title")}; the target up to a space or ')'. */
    private static final Pattern HEADING = Pattern.compile("#{1,6}\\s+(.*)");

    private static final Pattern LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    @Test
    void relativeLinksInTheReadmeAndDocsNameFilesThatExist() throws IOException {
        Path root = repositoryRoot();
        List<Path> documents = documents(root);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            for (String target : relativeTargets(Files.readString(document))) {
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? document
                        : document.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
                if (!file.startsWith(root) || !Files.exists(file)) {
                    broken.add(root.relativize(document) + ": " + target);
                } else if (hash >= 0 && file.toString().endsWith(".md")
                        && !anchors(Files.readString(file)).contains(target.substring(hash + 1))) {
                    broken.add(root.relativize(document) + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(broken.isEmpty(), "links to files or headings that do not exist in the repository: " + broken);
        assertTrue(checked >= 5, "expected the README to link some files; found " + checked + " links");
    }

    @Test
    void theReadmeIsForTheFirstFiveMinutes() throws IOException {
        long lines = Files.readAllLines(repositoryRoot().resolve("README.md")).size();
        assertTrue(lines <= 200, "README.md has " + lines + " lines; what is not for a newcomer's first minutes belongs in docs/");
    }

    @Test
    void anchorsAreGitHubsHeadingSlugs() {
        assertEquals(List.of("deploying-safely", "http-api-same-port", "packet-client---server", "trying-it"),
                anchors("## Deploying safely\n## HTTP API (same port)\n### `packet` (client -> server)\n```\n# not a heading\n```\n## Trying it\n"));
    }

    /** README.md, docs/*.md, and every other README.md outside build output and node_modules. */
    private static List<Path> documents(Path root) throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(path -> path.getFileName().toString().equals("README.md"))
                    .filter(path -> !path.getParent().equals(root))
                    .filter(path -> {
                        for (Path part : root.relativize(path)) {
                            String name = part.toString();
                            if (name.equals("node_modules") || name.equals("target") || name.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().forEach(documents::add);
        }
        return documents;
    }

    /** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as '-'. */
    static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        boolean inCode = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!inCode && heading.matches()) {
                anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void theCheckSeesABrokenLinkAndIgnoresOthers() {
        assertFalse(relativeTargets("see [x](../outside/CONTRACT.md) and ![y](docs/a.png \"t\")").isEmpty());
        assertTrue(relativeTargets("[a](https://example.com/x.md) [c](mailto:a@b.c) [d](/client/x.js)").isEmpty());
        assertEquals(List.of("#section", "docs/ops.md#tls"), relativeTargets("[b](#section) [e](docs/ops.md#tls)"));
        assertTrue(relativeTargets("```\n[a](missing.md)\n```").isEmpty());
        assertTrue(relativeTargets("one `- [mm:ss](link) text` line").isEmpty());
    }

    /** Relative links (a file, a file#heading, or #heading) outside code blocks and inline code. */
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
                // Absolute URLs and server paths (the running server's routes) are not files here.
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || target.startsWith("/")) {
                    continue;
                }
                targets.add(target);
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
