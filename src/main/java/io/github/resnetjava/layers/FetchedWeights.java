package io.github.resnetjava.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Runs a session runner whose fetches are float32 weights and copies them out by name: the one
 * place that turns fetched variable values into the {@code name -> float[]} maps that {@link
 * FrozenWeights#read} and fine-tuning use.
 */
public final class FetchedWeights {
  private FetchedWeights() {}

  /**
   * Runs {@code runner}, whose {@code i}-th fetch is the float32 value of {@code names.get(i)}.
   *
   * @return each value row-major, keyed by name, in the order given
   */
  public static Map<String, float[]> run(Session.Runner runner, List<String> names) {
    Map<String, float[]> values = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        TFloat32 tensor = (TFloat32) result.get(i);
        float[] value = new float[Math.toIntExact(tensor.shape().size())];
        tensor.copyTo(DataBuffers.of(value));
        values.put(names.get(i), value);
      }
    }
    return values;
  }
}
