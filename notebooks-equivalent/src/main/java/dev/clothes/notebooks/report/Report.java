package dev.clothes.notebooks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notebook-like page: headings, text, code, tables and pictures, written twice: a self-contained
 * HTML file (pictures embedded as data URIs) and a Markdown twin whose pictures sit in a folder beside it.
 * Text may use `backticks` for code and **double stars** for emphasis, in both outputs.
 */
public final class Report {

    private interface Block { }

    private record Heading(int level, String text) implements Block { }

    private record Text(String text) implements Block { }

    private record Code(String text) implements Block { }

    private record Table(List<String> header, List<List<String>> rows) implements Block { }

    private record Picture(String file, byte[] bytes, String caption) implements Block { }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    public Report heading(String text) {
        blocks.add(new Heading(2, text));
        return this;
    }

    public Report text(String text) {
        blocks.add(new Text(text));
        return this;
    }

    public Report code(String text) {
        blocks.add(new Code(text));
        return this;
    }

    public Report table(List<String> header, List<List<String>> rows) {
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells, header " + header.size());
            }
        }
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    /**
     * @param file  a file name for the Markdown twin's picture folder: {@code .png} for plots, {@code .jpg} for photos
     * @param bytes the encoded picture, in the format its name says
     */
    public Report picture(String file, byte[] bytes, String caption) {
        if (!file.matches("[a-z0-9-]+\\.(png|jpg)")) {
            throw new IllegalArgumentException("picture names are lower-case-with-dashes.png or .jpg, not " + file);
        }
        blocks.add(new Picture(file, bytes.clone(), caption));
        return this;
    }

    /** Writes {@code name.html}, {@code name.md} and {@code name-pictures/} into {@code folder}; returns the HTML file. */
    public Path writeTo(Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        Path pictures = folder.resolve(name + "-pictures");
        if (Files.isDirectory(pictures)) {
            try (var old = Files.list(pictures)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(pictures);
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
                table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
                th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
                pre{background:#f6f8fa;padding:1em;overflow-x:auto}code{background:#f6f8fa;padding:0 3px}
                figure{margin:1em 0}img{max-width:100%%;border:1px solid #eee}figcaption{color:#555;font-size:90%%}
                </style></head><body>
                <h1>%s</h1>
                """.formatted(escape(title), escape(title)));
        for (Block block : blocks) {
            if (block instanceof Heading h) {
                md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
                html.append("<h").append(h.level()).append('>').append(inline(h.text()))
                        .append("</h").append(h.level()).append(">\n");
            } else if (block instanceof Text t) {
                md.append(t.text()).append("\n\n");
                html.append("<p>").append(inline(t.text())).append("</p>\n");
            } else if (block instanceof Code c) {
                md.append("```\n").append(c.text()).append("\n```\n\n");
                html.append("<pre><code>").append(escape(c.text())).append("</code></pre>\n");
            } else if (block instanceof Table t) {
                md.append(markdownRow(t.header()));
                md.append("|---".repeat(t.header().size())).append("|\n");
                t.rows().forEach(r -> md.append(markdownRow(r)));
                md.append('\n');
                html.append("<table><tr>");
                t.header().forEach(c -> html.append("<th>").append(inline(c)).append("</th>"));
                html.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    html.append("<tr>");
                    row.forEach(c -> html.append("<td>").append(inline(c)).append("</td>"));
                    html.append("</tr>\n");
                }
                html.append("</table>\n");
            } else if (block instanceof Picture p) {
                Files.write(pictures.resolve(p.file()), p.bytes());
                md.append("![").append(p.caption()).append("](").append(name).append("-pictures/")
                        .append(p.file()).append(")\n\n*").append(p.caption()).append("*\n\n");
                html.append("<figure><img alt=\"").append(escape(p.caption())).append("\" src=\"data:image/")
                        .append(p.file().endsWith(".png") ? "png" : "jpeg").append(";base64,")
                        .append(Base64.getEncoder().encodeToString(p.bytes())).append("\"><figcaption>")
                        .append(inline(p.caption())).append("</figcaption></figure>\n");
            }
        }
        html.append("</body></html>\n");
        Files.writeString(folder.resolve(name + ".md"), md);
        Path htmlFile = folder.resolve(name + ".html");
        Files.writeString(htmlFile, html);
        return htmlFile;
    }

    private static String markdownRow(List<String> cells) {
        StringBuilder row = new StringBuilder();
        for (String cell : cells) {
            row.append("| ").append(cell.replace("|", "\\|")).append(' ');
        }
        return row.append("|\n").toString();
    }

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern STRONG = Pattern.compile("\\*\\*([^*]+)\\*\\*");

    /** HTML for a line of text with `code` and **strong** spans. */
    private static String inline(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = CODE.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(strong(escape(text.substring(last, m.start()))));
            out.append("<code>").append(escape(m.group(1))).append("</code>");
            last = m.end();
        }
        return out.append(strong(escape(text.substring(last)))).toString();
    }

    private static String strong(String escaped) {
        return STRONG.matcher(escaped).replaceAll("<strong>$1</strong>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
