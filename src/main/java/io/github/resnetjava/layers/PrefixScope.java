package io.github.resnetjava.layers;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;

/**
 * A TF {@link Scope} for a name prefix that only this library writes under.
 *
 * <p>TensorFlow Java's own scopes scan every op of the graph each time a sub-scope is made (to
 * avoid clashing with ops created elsewhere), which makes building a ResNet-200 quadratic: about 20
 * s instead of well under one. A {@link LayerScope} reserves its top-level names through TF's scope
 * once, so nothing else in the graph can own ops under them; below that, names only need to be
 * unique among the ops this scope itself made, which is what this class tracks.
 *
 * <p>Device placement, control dependencies and init-scope registration are delegated to the TF
 * scope the prefix was reserved from, so they behave exactly as for the user's {@code Ops}.
 */
final class PrefixScope implements Scope {
  private final ExecutionEnvironment env;
  private final String prefix;
  private final String opName;
  private final Map<String, Integer> ids;
  private final Scope origin;

  private PrefixScope(
      ExecutionEnvironment env,
      String prefix,
      String opName,
      Map<String, Integer> ids,
      Scope origin) {
    this.env = env;
    this.prefix = prefix;
    this.opName = opName;
    this.ids = ids;
    this.origin = origin;
  }

  /**
   * An {@link Ops} for the child {@code name} of {@code parent}'s name scope. The child's name is
   * reserved through TF's own uniquifying scope (one graph scan), so it may come back suffixed
   * ({@code name_1}) if the graph already held {@code name}.
   */
  static Ops reserveChild(Ops parent, String name) {
    Scope reserved = parent.scope().withSubScope(name);
    String probe = reserved.makeOpName("probe");
    String prefix = probe.substring(0, probe.length() - "/probe".length());
    return wrap(new PrefixScope(reserved.env(), prefix, null, new HashMap<>(), reserved));
  }

  /** An {@link Ops} for {@code parent}'s child {@code name}, with no graph scan. */
  static Ops child(Ops parent, String name) {
    if (!(parent.scope() instanceof PrefixScope prefixScope)) {
      return reserveChild(parent, name);
    }
    return wrap(prefixScope.withSubScope(name));
  }

  private static Ops wrap(Scope scope) {
    return Ops.create(new ScopeHandoff(scope));
  }

  @Override
  public ExecutionEnvironment env() {
    return env;
  }

  @Override
  public PrefixScope withSubScope(String childScopeName) {
    String child = makeUnique(opName != null ? opName : checkName(childScopeName));
    return new PrefixScope(env, prefix + "/" + child, null, new HashMap<>(), origin);
  }

  @Override
  public Scope withName(String name) {
    return new PrefixScope(env, prefix, checkName(name), ids, origin);
  }

  @Override
  public Scope withNameAsSubScope(String defaultName) {
    return withSubScope(defaultName);
  }

  @Override
  public Scope withDevice(DeviceSpec newDevice) {
    return new PrefixScope(env, prefix, opName, ids, origin.withDevice(newDevice));
  }

  @Override
  public Scope withInitScope() {
    return new PrefixScope(env, prefix, opName, ids, origin.withInitScope());
  }

  @Override
  public String makeOpName(String defaultName) {
    return prefix + "/" + makeUnique(opName != null ? opName : checkName(defaultName));
  }

  @Override
  public String makeUnique(String id) {
    int previous = ids.merge(id, 1, Integer::sum) - 1;
    return previous == 0 ? id : id + "_" + previous;
  }

  @Override
  public void refreshNames() {
    // Only this library creates ops under the prefix, so there is nothing new to learn.
  }

  @Override
  public Scope withControlDependencyOps(Iterable<Operation> controls) {
    return new PrefixScope(env, prefix, opName, ids, origin.withControlDependencyOps(controls));
  }

  @Override
  public OperationBuilder apply(OperationBuilder builder) {
    return origin.apply(builder);
  }

  @Override
  public String getDeviceString() {
    return origin.getDeviceString();
  }

  @Override
  public boolean isInit() {
    return origin.isInit();
  }

  private static String checkName(String name) {
    if (!Scope.isValidOpName(name)) {
      throw new IllegalArgumentException(
          "invalid op name '" + name + "': use letters, digits, '.', '_' and '-'");
    }
    return name;
  }

  /**
   * Hands a custom scope to {@link Ops#create(ExecutionEnvironment)}, the public way to get an
   * {@code Ops} over any {@link Scope}; ops still go into the real environment.
   */
  private record ScopeHandoff(Scope scope) implements ExecutionEnvironment {
    @Override
    public OperationBuilder opBuilder(String type, String name, Scope opScope) {
      return scope.env().opBuilder(type, name, opScope);
    }

    @Override
    public void attachFunction(org.tensorflow.ConcreteFunction function) {
      scope.env().attachFunction(function);
    }

    @Override
    public void checkInput(Operation input) {
      scope.env().checkInput(input);
    }

    @Override
    public Types environmentType() {
      return scope.env().environmentType();
    }

    @Override
    public Scope baseScope() {
      return scope;
    }

    @Override
    public boolean isInitializer(Operation op) {
      return scope.env().isInitializer(op);
    }
  }
}
