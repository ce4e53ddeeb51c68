package dev.clothes.quality.readme;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One shell command of a README: a line of a {@code sh} block (continuation lines joined, comment
 * cut) or a {@code $ } line of a {@code console} block.
 *
 * @param readme the README, relative to the checkout
 * @param line   where the command starts (1-based)
 * @param text   the command as a shell reads it
 */
public record ReadmeCommand(Path readme, int line, String text) {

    public ReadmeCommand {
        if (text.isBlank()) {
            throw new IllegalArgumentException(readme + ":" + line + ": empty command");
        }
    }

    /** The simple commands of a list ({@code a && b; (cd x && c)}), subshell parentheses removed. */
    List<List<String>> simpleCommands() {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        String s = text;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
                    word.append(s.charAt(++i));
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
                inWord = true;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                // A command substitution is one word here: its inside runs only when the word is expanded.
                int depth = 0;
                int j = i;
                for (; j < s.length(); j++) {
                    depth += s.charAt(j) == '(' ? 1 : s.charAt(j) == ')' ? -1 : 0;
                    if (depth == 0 && s.charAt(j) == ')') {
                        break;
                    }
                }
                word.append(s, i, Math.min(j + 1, s.length()));
                i = j;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == '(' || c == ')' || c == ';' || c == '&' || c == '|') {
                if (inWord) {
                    current.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
                    if (!current.isEmpty()) {
                        commands.add(List.copyOf(current));
                        current.clear();
                    }
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(this + ": unterminated quote");
        }
        if (inWord) {
            current.add(word.toString());
        }
        if (!current.isEmpty()) {
            commands.add(List.copyOf(current));
        }
        return commands;
    }

    @Override
    public String toString() {
        return readme + ":" + line + ": " + text;
    }
}
