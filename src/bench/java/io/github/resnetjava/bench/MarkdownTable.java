package io.github.resnetjava.bench;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table built row by row. */
final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have one cell per column. */
  MarkdownTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "A row needs " + header.size() + " cells; got " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The table's Markdown, ending with a newline. */
  String render() {
    StringBuilder out = new StringBuilder();
    line(out, header);
    out.append('|').append("---|".repeat(header.size())).append('\n');
    rows.forEach(row -> line(out, row));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }
}
