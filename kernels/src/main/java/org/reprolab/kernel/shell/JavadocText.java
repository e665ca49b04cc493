package org.reprolab.kernel.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Javadoc comment as Markdown a tooltip or pager shows readably: inline tags become code spans
 * or their label, {@code <pre>} becomes a fenced block, paragraphs and lists become Markdown's,
 * other HTML tags are dropped and entities decoded; block tags ({@code @param}, {@code @return},
 * {@code @throws}, {@code @see}) become short sections.
 */
final class JavadocText {

    private static final Pattern INLINE = Pattern.compile("\\{@(code|literal|link|linkplain|value|inheritDoc)\\s*");
    private static final Pattern PRE = Pattern.compile("(?is)<pre>(.*?)</pre>");
    private static final Pattern CODE_BLOCK = Pattern.compile("(?s)\\s*\\{@code(.*)}\\s*");
    private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*@(param|return|throws|exception|see|since|author|version|deprecated|implNote|apiNote|implSpec)\\b");
    private static final Map<String, String> ENTITIES = Map.ofEntries(Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("amp", "&"), Map.entry("quot", "\""), Map.entry("nbsp", " "), Map.entry("pi", "π"),
            Map.entry("lambda", "λ"), Map.entry("sigma", "σ"), Map.entry("mu", "μ"), Map.entry("alpha", "α"),
            Map.entry("beta", "β"), Map.entry("epsilon", "ε"), Map.entry("theta", "θ"), Map.entry("times", "×"),
            Map.entry("le", "≤"), Map.entry("ge", "≥"), Map.entry("middot", "·"), Map.entry("minus", "−"));

    private JavadocText() {}

    static String toMarkdown(String javadoc) {
        if (javadoc == null || javadoc.isBlank()) {
            return "";
        }
        // fenced code blocks first, kept apart from the paragraph reflow below
        List<String> blocks = new ArrayList<>();
        Matcher pre = PRE.matcher(javadoc);
        StringBuilder withPlaceholders = new StringBuilder();
        while (pre.find()) {
            Matcher code = CODE_BLOCK.matcher(pre.group(1));
            String content = code.matches() ? code.group(1) : decode(stripTags(inlineTags(pre.group(1))));
            blocks.add("```java\n" + content.stripIndent().strip() + "\n```");
            pre.appendReplacement(withPlaceholders, Matcher.quoteReplacement("\n\n\u0000" + (blocks.size() - 1) + "\u0000\n\n"));
        }
        pre.appendTail(withPlaceholders);
        String text = inlineTags(withPlaceholders.toString());
        Matcher tag = BLOCK_TAG.matcher(text);
        String body = tag.find() ? text.substring(0, tag.start()) : text;
        String tags = body.length() < text.length() ? text.substring(body.length()) : "";
        String markdown = html(body).strip();
        String sections = blockTags(tags);
        String result = sections.isEmpty() ? markdown : markdown + "\n\n" + sections;
        for (int i = 0; i < blocks.size(); i++) {
            result = result.replace("\u0000" + i + "\u0000", blocks.get(i));
        }
        return result.replaceAll("\n{3,}", "\n\n").strip();
    }

    /** {@code {@code x}} → `x`, {@code {@link A#b label}} → label (or `A.b`), with nested braces balanced. */
    private static String inlineTags(String text) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        Matcher m = INLINE.matcher(text);
        while (m.find(from)) {
            out.append(text, from, m.start());
            int depth = 1;
            int i = m.end();
            while (i < text.length() && depth > 0) {
                char c = text.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                i++;
            }
            String content = text.substring(m.end(), depth == 0 ? i - 1 : i).strip();
            out.append(switch (m.group(1)) {
                case "code" -> "`" + content + "`";
                case "literal" -> content;
                case "inheritDoc" -> "(documented in the overridden method)";
                default -> link(content);
            });
            from = i;
        }
        return out.append(text.substring(from)).toString();
    }

    private static String link(String content) {
        String[] parts = content.split("\\s+", 2);
        if (parts.length == 2 && !parts[0].endsWith(",")) {
            return parts[1];
        }
        String target = parts[0].startsWith("#") ? parts[0].substring(1) : parts[0].replace('#', '.');
        return "`" + target + "`";
    }

    private static String html(String text) {
        String s = text.replaceAll("(?i)</?(i|em)>", "*").replaceAll("(?i)</?(b|strong)>", "**")
                .replaceAll("(?i)</?(code|tt)>", "`")
                .replaceAll("(?i)<li>", "\n\n- ").replaceAll("(?i)</li>|</?ul>|</?ol>", "\n\n")
                .replaceAll("(?i)</?p>|<br\\s*/?>|</?blockquote>|</?h\\d>", "\n\n");
        s = decode(stripTags(s));
        // a paragraph's lines are one line in Markdown; list items stay apart
        StringBuilder out = new StringBuilder();
        boolean inList = false;
        for (String paragraph : s.split("\n\\s*\n")) {
            String joined = paragraph.strip().replaceAll("\\s+", " ");
            if (joined.isEmpty()) {
                continue;
            }
            boolean item = joined.startsWith("- ");
            if (inList && !item) {
                out.append('\n');
            }
            out.append(joined).append(item ? "\n" : "\n\n");
            inList = item;
        }
        return out.toString();
    }

    private static String blockTags(String tags) {
        if (tags.isBlank()) {
            return "";
        }
        StringBuilder params = new StringBuilder();
        StringBuilder throwsList = new StringBuilder();
        StringBuilder other = new StringBuilder();
        Matcher m = BLOCK_TAG.matcher(tags);
        List<int[]> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
        }
        for (int k = 0; k < starts.size(); k++) {
            String name = tags.substring(starts.get(k)[0], starts.get(k)[1]).strip().substring(1);
            int end = k + 1 < starts.size() ? starts.get(k + 1)[0] : tags.length();
            String content = html(tags.substring(starts.get(k)[1], end)).strip().replaceAll("\\s+", " ");
            String[] first = content.split("\\s+", 2);
            String rest = first.length > 1 ? first[1] : "";
            switch (name) {
                case "param" -> params.append("- `").append(first[0]).append("` ").append(rest).append('\n');
                case "throws", "exception" -> throwsList.append("- `").append(first[0]).append("` ").append(rest).append('\n');
                case "return" -> other.append("**Returns** ").append(content).append("\n\n");
                case "see" -> other.append("**See** ").append(content).append("\n\n");
                case "deprecated" -> other.append("**Deprecated** ").append(content).append("\n\n");
                case "since", "author", "version" -> { }
                default -> other.append("**").append(name).append("** ").append(content).append("\n\n");
            }
        }
        String result = (params.isEmpty() ? "" : "**Parameters**\n" + params + "\n") + other
                + (throwsList.isEmpty() ? "" : "**Throws**\n" + throwsList);
        return result.strip();
    }

    private static String stripTags(String s) {
        return s.replaceAll("<[^>]+>", "");
    }

    private static String decode(String s) {
        Matcher m = Pattern.compile("&(#\\d+|#x[0-9a-fA-F]+|\\w+);").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String replacement = e.startsWith("#x") ? Character.toString(Integer.parseInt(e.substring(2), 16))
                    : e.startsWith("#") ? Character.toString(Integer.parseInt(e.substring(1)))
                    : ENTITIES.getOrDefault(e, m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }
}
