package io.github.resnetjava.model;

/**
 * Python {@code shortcut_params} tuple {@code (shortcut_filters, strides)}.
 *
 * @param shortcutFilters filters of the 1x1 projection shortcut, or {@code null} for the identity
 * @param strides stride of that projection (unused for the identity)
 */
public record ShortcutParams(Integer shortcutFilters, int strides) {

  /** The identity shortcut: {@code (None, strides)} in the Python. */
  public static ShortcutParams identity() {
    return new ShortcutParams(null, 1);
  }
}
