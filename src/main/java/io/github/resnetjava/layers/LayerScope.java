package io.github.resnetjava.layers;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * One level of TF1's {@code tf.variable_scope} hierarchy: the name path that prefixes variables and
 * ops, and the per-scope counters that give unnamed layers their TF1 names ({@code conv2d}, {@code
 * conv2d_1}, ...).
 *
 * <p>TensorFlow Java's {@code Ops.withSubScope} makes every call's name unique, so it cannot
 * re-enter a scope. This class keeps one {@link Ops} per scope path instead (a {@link PrefixScope},
 * which also avoids TF's per-sub-scope graph scan) and hands the same one back each time the path
 * is entered, which is what lets a second model call find the first call's variables under the same
 * names (TF1 {@code reuse}). As in TF1, entering a named child scope restarts the layer counters
 * inside it.
 *
 * <p>Not thread-safe: graph building is single-threaded.
 */
public final class LayerScope {
  private final Ops ops;
  private final String path;
  private final Map<String, LayerScope> children = new HashMap<>();
  private final Map<String, Integer> layerNameCounts = new HashMap<>();

  private LayerScope(Ops ops, String path) {
    this.ops = ops;
    this.path = path;
  }

  /** The root scope: variables and ops are named relative to {@code tf}'s own name scope. */
  public static LayerScope root(Ops tf) {
    return new LayerScope(tf, "");
  }

  /**
   * Enters the child scope {@code name}, as TF1 {@code with tf.variable_scope(name)}: the same
   * child object (and graph name prefix) every time, with its layer-name counters restarted.
   */
  public LayerScope enter(String name) {
    LayerScope child =
        children.computeIfAbsent(name, n -> new LayerScope(PrefixScope.child(ops, n), qualify(n)));
    child.restartLayerNames();
    return child;
  }

  /**
   * The scope of one layer, as TF1 layers name themselves: {@code explicitName} when given,
   * otherwise {@code baseName} made unique within this scope ({@code conv2d}, {@code conv2d_1}).
   */
  public LayerScope layer(String explicitName, String baseName) {
    return enter(explicitName != null ? explicitName : uniqueLayerName(baseName));
  }

  /** Restarts the layer-name counters, as TF1 does when a named scope is re-entered. */
  public void restartLayerNames() {
    layerNameCounts.clear();
  }

  /** The ops factory whose name scope is this scope's path. */
  public Ops ops() {
    return ops;
  }

  /** This scope's path relative to the root ({@code ""} for the root itself). */
  public String path() {
    return path;
  }

  /** {@code name} prefixed with this scope's path, the form TF1 gives variable names. */
  public String qualify(String name) {
    return path.isEmpty() ? name : path + "/" + name;
  }

  private String uniqueLayerName(String baseName) {
    int previous = layerNameCounts.merge(baseName, 1, Integer::sum) - 1;
    return previous == 0 ? baseName : baseName + "_" + previous;
  }
}
