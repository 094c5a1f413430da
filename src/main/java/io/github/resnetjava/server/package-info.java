/**
 * A model server that TensorFlow Serving's REST clients talk to unchanged ({@code
 * tensorflow_serving/g3doc/api_rest.md}), for every model under a models directory in TF Serving's
 * layout.
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.server.ModelServer}: the HTTP API (Javalin on Jetty, Jackson)
 *       with TF Serving's paths, JSON and error codes ({@link
 *       io.github.resnetjava.server.ServingException}), graceful stop, and Prometheus metrics at TF
 *       Serving's path; configured by {@link io.github.resnetjava.server.ServerConfig};
 *   <li>{@code PredictRequest}, {@code JsonTensors}, {@code HostTensor}: the {@code :predict} body
 *       in row and columnar form, converted as TF Serving's {@code json_tensor.cc} does;
 *   <li>{@code BatchScheduler} with {@link io.github.resnetjava.server.BatchingParameters}: TF
 *       Serving's dynamic batching, under its parameter names;
 *   <li>{@code RunLimiter}: at most {@link
 *       io.github.resnetjava.server.ServerConfig#maxConcurrentRuns()} session runs at once for the
 *       requests batching does not merge, the others waiting in order;
 *   <li>{@code NativeHeapTrimmer}: gives the memory TensorFlow freed back to the system while
 *       requests come in;
 *   <li>{@link io.github.resnetjava.server.ModelManager} with {@link
 *       io.github.resnetjava.server.VersionPolicy}: versions loaded, swapped and unloaded as TF
 *       Serving's file-system source and availability-preserving policy do;
 *   <li>{@link io.github.resnetjava.server.ServingConfigFile}: the {@code --model_config_file} that
 *       lets {@code tensorflow_model_server} serve the same directory.
 * </ul>
 *
 * <h2>What it may use</h2>
 *
 * <p>Only a SavedModel: it loads each version with {@link io.github.resnetjava.serving.Classifier}
 * and runs its signatures on the Classifier's session; from {@code savedmodel} it uses the contract
 * of an export ({@link io.github.resnetjava.savedmodel.Signatures}, {@link
 * io.github.resnetjava.savedmodel.ServingLayout}). It uses only {@code serving} and {@code
 * savedmodel} of this library: never {@code export}, {@code model}, {@code layers}, {@code train},
 * {@code summary} or {@code cli}.
 */
package io.github.resnetjava.server;
