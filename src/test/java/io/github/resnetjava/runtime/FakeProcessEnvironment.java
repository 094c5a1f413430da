package io.github.resnetjava.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A process environment in a map, for the policies' tests; counts the variables set. */
final class FakeProcessEnvironment implements ProcessEnvironment {
  final Map<String, String> variables = new HashMap<>();
  boolean tensorFlowLoaded;
  boolean setenvFails;
  int sets;

  @Override
  public Optional<String> get(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  @Override
  public boolean setIfUnset(String name, String value) {
    sets++;
    if (setenvFails) {
      return false;
    }
    variables.putIfAbsent(name, value);
    return true;
  }

  @Override
  public boolean tensorFlowLoaded() {
    return tensorFlowLoaded;
  }
}
