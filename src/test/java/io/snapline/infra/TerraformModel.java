package io.snapline.infra;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Terraform code under a directory, parsed with hcl4j (an HCL parser from Maven Central) for
 * structure, with each file's source text kept beside the model for what hcl4j does not keep:
 * comments (hcl4j drops them) and the arguments of {@code jsonencode(...)} (hcl4j evaluates the call
 * and leaves only a fragment in the attribute).
 *
 * <p>hcl4j's shape: a file is {@code Map<blockType, Map<label, ...>>}; a block that occurs once is a
 * {@code Map}, a block repeated in its parent ({@code statement}, {@code dynamic "statement"}) is a
 * {@code List} of maps. {@link #blocks(Object)} flattens both.
 */
final class TerraformModel {

    /** One parsed {@code .tf} file. */
    record TfFile(Path path, String text, Map<String, Object> model) {

        /** The module directory: policies are resolved within it. */
        Path dir() {
            return path.getParent();
        }

        List<String> lines() {
            return text.lines().toList();
        }
    }

    /** A labelled block, e.g. {@code resource "aws_sqs_queue" "events"}: type, name, body. */
    record Block(TfFile file, String kind, String type, String name, Map<String, Object> body) {

        String address() {
            return kind + "." + type + "." + name + " (" + file.path() + ")";
        }

        /**
         * The block's source text, from its header to the matching closing brace, for reading what
         * hcl4j does not keep. Braces inside strings are skipped.
         */
        String sourceText() {
            Pattern header = Pattern.compile("(?m)^\\s*" + Pattern.quote(kind) + "\\s+\"" + Pattern.quote(type)
                    + "\"\\s+\"" + Pattern.quote(name) + "\"\\s*\\{");
            Matcher m = header.matcher(file.text());
            if (!m.find()) {
                throw new IllegalStateException("cannot find the source of " + address());
            }
            return balanced(file.text(), m.end() - 1);
        }
    }

    private final List<TfFile> files;

    private TerraformModel(List<TfFile> files) {
        this.files = List.copyOf(files);
    }

    /** Parses every {@code .tf} file below {@code root} (skipping {@code .terraform} folders). */
    static TerraformModel load(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk
                    .filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted()
                    .toList();
            List<TfFile> parsed = new ArrayList<>();
            for (Path p : paths) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                parsed.add(new TfFile(p, text, parse(p, text)));
            }
            return new TerraformModel(parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * hcl4j prints its parser trace ("Conditional Matched: ...") to standard out; it is captured and
     * dropped so that test output stays readable.
     */
    @SuppressWarnings("unchecked")
    private static synchronized Map<String, Object> parse(Path path, String text) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new HCLParser().parse(text);
        } catch (Exception e) {
            throw new IllegalStateException("hcl4j cannot parse " + path + ": " + e, e);
        } finally {
            System.setOut(out);
        }
    }

    List<TfFile> files() {
        return files;
    }

    /** Every {@code kind "type" "name"} block (kind: resource or data) of the given type. */
    List<Block> blocks(String kind, String type) {
        List<Block> result = new ArrayList<>();
        for (TfFile f : files) {
            Map<String, Object> byType = asMap(f.model().get(kind));
            Map<String, Object> byName = asMap(byType.get(type));
            for (Map.Entry<String, Object> e : byName.entrySet()) {
                for (Map<String, Object> body : blocks(e.getValue())) {
                    result.add(new Block(f, kind, type, e.getKey(), body));
                }
            }
        }
        return result;
    }

    /** Every {@code variable "name"} block: name and body, with the file it is in. */
    List<Block> variables() {
        List<Block> result = new ArrayList<>();
        for (TfFile f : files) {
            Map<String, Object> vars = asMap(f.model().get("variable"));
            for (Map.Entry<String, Object> e : vars.entrySet()) {
                for (Map<String, Object> body : blocks(e.getValue())) {
                    result.add(new Block(f, "variable", "", e.getKey(), body));
                }
            }
        }
        return result;
    }

    /** The {@code data "aws_iam_policy_document"} that an expression like {@code data.aws_iam_policy_document.x.json} names, in the same module. */
    Optional<Block> policyDocument(Path moduleDir, Object reference) {
        // hcl4j keeps a reference as a VariableTree whose text is the dotted path.
        if (reference == null) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("^data\\.aws_iam_policy_document\\.([A-Za-z0-9_-]+)(?:\\[0\\])?\\.json$")
                .matcher(String.valueOf(reference).trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return blocks("data", "aws_iam_policy_document").stream()
                .filter(b -> b.file().dir().equals(moduleDir) && b.name().equals(m.group(1)))
                .findFirst();
    }

    /** A policy document's statements: its {@code statement} blocks and the content of its {@code dynamic "statement"} blocks. */
    static List<Statement> statements(Block document) {
        List<Statement> result = new ArrayList<>();
        for (Map<String, Object> s : blocks(document.body().get("statement"))) {
            result.add(new Statement(document, s, false));
        }
        for (Map<String, Object> dyn : blocks(asMap(document.body().get("dynamic")).get("statement"))) {
            for (Map<String, Object> content : blocks(dyn.get("content"))) {
                result.add(new Statement(document, content, true));
            }
        }
        return result;
    }

    /** One IAM statement as written in an {@code aws_iam_policy_document}. */
    record Statement(Block document, Map<String, Object> body, boolean dynamic) {

        boolean deny() {
            return "Deny".equals(body.get("effect"));
        }

        String sid() {
            return String.valueOf(body.getOrDefault("sid", "(no sid)"));
        }

        List<String> actions() {
            return strings(body.get("actions"));
        }

        List<String> resources() {
            return strings(body.get("resources"));
        }

        List<String> principalTypes() {
            return blocks(body.get("principals")).stream().map(p -> String.valueOf(p.get("type"))).toList();
        }

        /** The condition keys ({@code variable}) this statement tests. */
        List<String> conditionKeys() {
            return blocks(body.get("condition")).stream().map(c -> String.valueOf(c.get("variable"))).toList();
        }

        String where() {
            return document.address() + " statement " + sid();
        }
    }

    /** A block value as a list of bodies: hcl4j gives a Map for a single block and a List for repeated ones. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocks(Object value) {
        if (value instanceof Map<?, ?> m) {
            return List.of((Map<String, Object>) m);
        }
        if (value instanceof Collection<?> c) {
            List<Map<String, Object>> result = new ArrayList<>();
            for (Object o : c) {
                if (o instanceof Map<?, ?> m) {
                    result.add((Map<String, Object>) m);
                }
            }
            return result;
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A list attribute's literal strings (a non-list expression such as {@code var.x} yields nothing). */
    static List<String> strings(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        return List.of();
    }

    /**
     * The text from the opening brace at {@code open} to its matching closing brace. Strings
     * (with {@code ${...}} interpolations, which may hold strings of their own) and comments are
     * skipped, so braces inside them do not count.
     */
    static String balanced(String text, int open) {
        // Each entry is a nesting level: 'S' inside a string, 'I' inside an interpolation, 'B' a brace block.
        java.util.ArrayDeque<Character> stack = new java.util.ArrayDeque<>();
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : '\0';
            Character top = stack.peek();
            if (top != null && top == 'S') {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    stack.pop();
                } else if ((c == '$' || c == '%') && next == '{') {
                    stack.push('I');
                    i++;
                }
                continue;
            }
            if (c == '#' || (c == '/' && next == '/')) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol;
            } else if (c == '/' && next == '*') {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? text.length() : close + 1;
            } else if (c == '"') {
                stack.push('S');
            } else if (c == '{') {
                stack.push('B');
            } else if (c == '}') {
                char popped = stack.pop();
                if (popped == 'B' && stack.isEmpty()) {
                    return text.substring(open, i + 1);
                }
            }
        }
        throw new IllegalStateException("unbalanced braces from offset " + open);
    }
}
