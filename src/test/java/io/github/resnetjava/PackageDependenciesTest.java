package io.github.resnetjava;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture the package-info files state: each package of {@code src/main/java} refers, in
 * code (imports or qualified names, not comments), only to the packages it may use.
 */
class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src", "main", "java", "io", "github", "resnetjava");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bio\\.github\\.resnetjava\\.([a-z0-9_]+)\\.");

  /** What each package may use, as its package-info.java says. */
  private static final Map<String, Set<String>> MAY_USE =
      Map.ofEntries(
          entry("layers", Set.of()),
          entry("gpu", Set.of()),
          entry("runtime", Set.of()),
          entry("savedmodel", Set.of()),
          entry("model", Set.of("layers")),
          entry("preprocessing", Set.of("layers")),
          entry("summary", Set.of("model", "layers")),
          entry("export", Set.of("model", "preprocessing", "savedmodel", "layers")),
          entry(
              "train",
              Set.of("export", "savedmodel", "preprocessing", "model", "layers", "runtime")),
          entry("serving", Set.of("savedmodel", "preprocessing", "runtime")),
          entry("server", Set.of("serving", "savedmodel")),
          entry("spark", Set.of("serving")),
          entry(
              "cli",
              Set.of(
                  "spark",
                  "server",
                  "serving",
                  "train",
                  "export",
                  "savedmodel",
                  "summary",
                  "preprocessing",
                  "model",
                  "layers",
                  "gpu",
                  "runtime")));

  /** The packages each main package's sources refer to in code, by top-level package name. */
  private static Map<String, Set<String>> references() throws IOException {
    Map<String, Set<String>> used = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(file).getName(0).toString();
        Set<String> packages = used.computeIfAbsent(pkg, p -> new TreeSet<>());
        for (String line : Files.readAllLines(file)) {
          String code = line.strip();
          if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
            continue;
          }
          Matcher reference = REFERENCE.matcher(code);
          while (reference.find()) {
            if (!reference.group(1).equals(pkg)) {
              packages.add(reference.group(1));
            }
          }
        }
      }
    }
    return used;
  }

  @Test
  void everyPackageHasItsRuleListedHere() throws IOException {
    assertEquals(new TreeSet<>(MAY_USE.keySet()), references().keySet());
  }

  @Test
  void everyPackageUsesOnlyThePackagesItsPackageInfoAllows() throws IOException {
    List<String> violations = new ArrayList<>();
    references()
        .forEach(
            (pkg, used) -> {
              for (String other : used) {
                if (!MAY_USE.getOrDefault(pkg, Set.of()).contains(other)) {
                  violations.add(pkg + " uses " + other);
                }
              }
            });
    assertEquals(List.of(), violations);
  }

  @Test
  void servingAndServerNeedOnlyASavedModel() throws IOException {
    Map<String, Set<String>> used = references();
    for (String reader : List.of("serving", "server")) {
      for (String builder : List.of("export", "model", "layers", "train")) {
        assertTrue(!used.get(reader).contains(builder), reader + " must not use " + builder);
      }
    }
    // The scan sees real references, so the checks above do not pass on an empty reading.
    assertTrue(used.get("serving").contains("savedmodel"), "serving reads the SavedModel contract");
    assertTrue(used.get("cli").contains("train"), "cli drives training");
  }
}
