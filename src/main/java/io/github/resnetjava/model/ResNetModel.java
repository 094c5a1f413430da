package io.github.resnetjava.model;

import io.github.resnetjava.layers.BatchNormalizationLayer;
import io.github.resnetjava.layers.Conv2dLayer;
import io.github.resnetjava.layers.DenseLayer;
import io.github.resnetjava.layers.FedVariables;
import io.github.resnetjava.layers.FoldedConvBatchNormLayer;
import io.github.resnetjava.layers.FrozenWeights;
import io.github.resnetjava.layers.LayerScope;
import io.github.resnetjava.layers.Layout;
import io.github.resnetjava.layers.Padding;
import io.github.resnetjava.layers.PoolingLayer;
import io.github.resnetjava.layers.TensorShapes;
import io.github.resnetjava.layers.VariableStore;
import io.github.resnetjava.layers.WeightStore;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Python {@code ResNetModel}: a pre-activation ResNet (ResNet v2, He et al. 2016, "Identity
 * Mappings in Deep Residual Networks") built into a TensorFlow graph with TF1 semantics.
 *
 * <p>Each method mirrors one Python function under its camelCase name. Graph-building methods act
 * in the current variable scope, as the Python does inside {@code tf.variable_scope}; variables are
 * created on first use and shared afterwards (TF1 {@code AUTO_REUSE}), so {@code modelLayers(x,
 * true)} followed by {@code modelLayers(y, false)} builds a training and an inference graph on one
 * set of weights. Variable names are the TF1 ones ({@code conv_initial/kernel}, {@code
 * block_layer0/regular_block0/batch_normalization/gamma}, ...), computed by this class relative to
 * the {@link Ops} it was given.
 *
 * <p>Not thread-safe: build the graph from one thread.
 */
public final class ResNetModel {
  /**
   * Python {@code block_layer_sizes}: blocks per block layer for each supported depth. Depths 50
   * and above use bottleneck blocks.
   */
  public static final Map<Integer, List<Integer>> BLOCK_LAYER_SIZES = depthTable();

  /** Python {@code filters_initial}. */
  public static final int FILTERS_INITIAL = 64;

  /** Python {@code block_strides}. */
  public static final List<Integer> BLOCK_STRIDES = List.of(1, 2, 2, 2);

  /** Name of the initial 7x7 convolution layer and of its output endpoint. */
  public static final String CONV_INITIAL = "conv_initial";

  /** Name of the initial 3x3 max pooling layer and of its output endpoint. */
  public static final String POOL_INITIAL = "pool_initial";

  /** Name of the final dense layer and of the logits endpoint. */
  public static final String LOGITS = "logits";

  /** Name of the endpoint holding the final pre-activation (before global average pooling). */
  public static final String FINAL_PRE_ACTIVATION = "final_pre_activation";

  /** Graph op name, inside an endpoint's scope, of the identity that exposes the endpoint. */
  public static final String ENDPOINT_OP = "output";

  private final Ops tf;
  private final int minAspectDim;
  private final int resizeDim;
  private final int numLayers;
  private final int outputSize;
  private final DataFormat dataFormat;
  private final List<Integer> blockLayerSizes;
  private final boolean bottleneck;

  private final VariableStore variableStore;
  private final FedVariables fedVariables;
  private final WeightStore weights;
  private final boolean foldBatchNorms;
  private final LayerScope rootScope;
  private final Deque<LayerScope> scopes = new ArrayDeque<>();
  private final Conv2dLayer conv2d;
  private final BatchNormalizationLayer batchNormalization;
  private final DenseLayer dense;
  private final PoolingLayer pooling;
  private final FoldedConvBatchNormLayer foldedConvBatchNorm;
  private final Map<String, Operand<TFloat32>> endpoints = new LinkedHashMap<>();

  /**
   * Python {@code ResNetModel(min_aspect_dim, resize_dim, num_layers, output_size, data_format)}
   * with nondeterministic initial weights, as TF1 without a graph seed.
   *
   * @param tf the ops factory; variables and ops are named relative to its name scope
   * @param minAspectDim shorter image side after the aspect-preserving resize (preprocessing)
   * @param resizeDim side of the central crop fed to the model (preprocessing and export)
   * @param numLayers depth: one of 18, 34, 50, 101, 152, 200
   * @param outputSize number of classes
   * @param dataFormat layout of every image tensor the methods take and return
   * @throws IllegalArgumentException for an unknown depth or a non-positive size
   */
  public ResNetModel(
      Ops tf,
      int minAspectDim,
      int resizeDim,
      int numLayers,
      int outputSize,
      DataFormat dataFormat) {
    this(
        builder(tf)
            .minAspectDim(minAspectDim)
            .resizeDim(resizeDim)
            .numLayers(numLayers)
            .outputSize(outputSize)
            .dataFormat(dataFormat));
  }

  /** As the six-argument constructor with {@link DataFormat#CHANNELS_LAST}, the Python default. */
  public ResNetModel(Ops tf, int minAspectDim, int resizeDim, int numLayers, int outputSize) {
    this(tf, minAspectDim, resizeDim, numLayers, outputSize, DataFormat.CHANNELS_LAST);
  }

  /**
   * As the six-argument constructor with deterministic initial weights: each variable's initializer
   * is seeded from {@code seed} and the variable's name, so two graphs built with one seed hold the
   * same weights (whatever their data format).
   */
  public ResNetModel(
      Ops tf,
      int minAspectDim,
      int resizeDim,
      int numLayers,
      int outputSize,
      DataFormat dataFormat,
      long seed) {
    this(
        builder(tf)
            .minAspectDim(minAspectDim)
            .resizeDim(resizeDim)
            .numLayers(numLayers)
            .outputSize(outputSize)
            .dataFormat(dataFormat)
            .seed(seed));
  }

  private ResNetModel(Builder builder) {
    if (builder.tf == null) {
      throw new IllegalArgumentException("tf must be an Ops factory, e.g. Ops.create(graph)");
    }
    if (builder.dataFormat == null) {
      throw new IllegalArgumentException("dataFormat must be CHANNELS_LAST or CHANNELS_FIRST");
    }
    TensorShapes.requirePositive("minAspectDim", builder.minAspectDim);
    TensorShapes.requirePositive("resizeDim", builder.resizeDim);
    TensorShapes.requirePositive("outputSize", builder.outputSize);
    this.tf = builder.tf;
    this.minAspectDim = builder.minAspectDim;
    this.resizeDim = builder.resizeDim;
    this.numLayers = builder.numLayers;
    this.outputSize = builder.outputSize;
    this.dataFormat = builder.dataFormat;
    this.blockLayerSizes = blockLayerSizesFor(numLayers);
    this.bottleneck = numLayers >= 50;
    this.foldBatchNorms = builder.foldBatchNorms;
    if (builder.frozenWeights != null && builder.fedWeights) {
      throw new IllegalArgumentException(
          "frozenWeights and fedWeights are two ways to hold inference weights: choose one");
    }
    if (builder.frozenWeights != null) {
      this.variableStore = null;
      this.fedVariables = null;
      this.weights = new FrozenWeights(builder.frozenWeights);
    } else if (builder.fedWeights) {
      this.variableStore = null;
      this.fedVariables = new FedVariables();
      this.weights = fedVariables;
    } else {
      this.variableStore = new VariableStore(builder.seed);
      this.fedVariables = null;
      this.weights = variableStore;
    }
    this.rootScope = LayerScope.root(tf);
    this.scopes.push(rootScope);
    Layout layout = dataFormat.layout();
    this.conv2d = new Conv2dLayer(weights, layout);
    this.batchNormalization = new BatchNormalizationLayer(weights, layout);
    this.dense = new DenseLayer(weights);
    this.pooling = new PoolingLayer(layout);
    this.foldedConvBatchNorm =
        new FoldedConvBatchNormLayer(conv2d, batchNormalization, fedVariables);
  }

  /**
   * A builder for the options the Python constructor does not have: a random seed, frozen weights
   * and batch-norm folding. Defaults: depth 50, 1000 classes, 256/224 sizes, channels_last.
   */
  public static Builder builder(Ops tf) {
    return new Builder(tf);
  }

  /** Options of a {@link ResNetModel}; {@link #build()} validates them. */
  public static final class Builder {
    private final Ops tf;
    private int minAspectDim = 256;
    private int resizeDim = 224;
    private int numLayers = 50;
    private int outputSize = 1000;
    private DataFormat dataFormat = DataFormat.CHANNELS_LAST;
    private Long seed;
    private Map<String, float[]> frozenWeights;
    private boolean fedWeights;
    private boolean foldBatchNorms;

    private Builder(Ops tf) {
      this.tf = tf;
    }

    /** Python {@code min_aspect_dim}. */
    public Builder minAspectDim(int value) {
      this.minAspectDim = value;
      return this;
    }

    /** Python {@code resize_dim}. */
    public Builder resizeDim(int value) {
      this.resizeDim = value;
      return this;
    }

    /** Python {@code num_layers}: 18, 34, 50, 101, 152 or 200. */
    public Builder numLayers(int value) {
      this.numLayers = value;
      return this;
    }

    /** Python {@code output_size}. */
    public Builder outputSize(int value) {
      this.outputSize = value;
      return this;
    }

    /** Python {@code data_format}. */
    public Builder dataFormat(DataFormat value) {
      this.dataFormat = value;
      return this;
    }

    /** Seeds every variable initializer from this value and the variable's name. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * Builds an inference-only model whose weights are graph constants with these values, keyed by
     * TF1 variable name (see {@link ResNetModel#readWeights(Session)}). Such a model has no
     * variables and rejects training mode.
     */
    public Builder frozenWeights(Map<String, float[]> values) {
      this.frozenWeights = Objects.requireNonNull(values, "values");
      return this;
    }

    /**
     * Builds an inference-only model whose weights are variables without initializers, valued once
     * from another model's weights by {@link FedVariables#assign} (see {@link #fedVariables()}):
     * the optimized export's form, whose SavedModel holds the values once, in {@code variables/}.
     * With {@link #foldBatchNorms} the folded kernels and biases are computed in Java and named
     * {@code <conv>/folded_kernel} and {@code <conv>/folded_bias}; every other weight keeps its TF1
     * name. Such a model rejects training mode.
     */
    public Builder fedWeights(boolean value) {
      this.fedWeights = value;
      return this;
    }

    /**
     * In inference mode, computes each block's convolution-then-batch-norm pairs (conv1 then BN2,
     * and conv2 then BN3 in bottleneck blocks) as one convolution with folded kernel and bias; see
     * {@link FoldedConvBatchNormLayer}. Same weights and names; outputs equal within float
     * rounding.
     */
    public Builder foldBatchNorms(boolean value) {
      this.foldBatchNorms = value;
      return this;
    }

    /**
     * The model.
     *
     * @throws IllegalArgumentException for an unknown depth or a non-positive size
     */
    public ResNetModel build() {
      return new ResNetModel(this);
    }
  }

  /**
   * The block counts of depth {@code numLayers}.
   *
   * @throws IllegalArgumentException naming the supported depths
   */
  public static List<Integer> blockLayerSizesFor(int numLayers) {
    List<Integer> sizes = BLOCK_LAYER_SIZES.get(numLayers);
    if (sizes == null) {
      throw new IllegalArgumentException(
          "numLayers must be one of "
              + BLOCK_LAYER_SIZES.keySet().toString().replaceAll("[\\[\\]]", "")
              + "; got "
              + numLayers);
    }
    return sizes;
  }

  /** The graph name of block layer {@code index} (0 to 3), its variable scope and endpoint. */
  public static String blockLayerName(int index) {
    return "block_layer" + index;
  }

  /**
   * Python {@code custom_padding}: pads both spatial axes by {@code (k - 1) // 2} before and the
   * rest after, so a strided convolution's output depends only on the input size, not on it being
   * odd or even.
   *
   * @param inputs {@code [batch, height, width, channels]} or, channels_first, {@code [batch,
   *     channels, height, width]}
   * @param kernelSize the kernel side the padding prepares for (>= 1)
   * @return {@code inputs} padded with zeros, height and width grown by {@code kernelSize - 1}
   */
  public Operand<TFloat32> customPadding(Operand<TFloat32> inputs, int kernelSize) {
    TensorShapes.requirePositive("kernelSize", kernelSize);
    TensorShapes.requireImageBatch(inputs, dataFormat.layout(), "customPadding input");
    int padTotal = kernelSize - 1;
    int padBefore = padTotal / 2;
    int padAfter = padTotal - padBefore;
    Ops ops = currentScope().ops();
    return ops.pad(
        inputs,
        ops.constant(dataFormat.layout().spatialPaddings(padBefore, padAfter)),
        ops.constant(0f));
  }

  /**
   * Python {@code custom_conv2d}: for {@code strides > 1}, {@link #customPadding} then a {@code
   * 'valid'} convolution; otherwise a {@code 'same'} convolution. Either way a TF1 {@code
   * tf.layers.conv2d} with bias and Glorot-uniform kernel {@code [k, k, in, filters]}.
   *
   * @param inputs image batch in this model's data format, channel count known
   * @param filters output channels (>= 1)
   * @param kernelSize square kernel side (>= 1)
   * @param strides stride on both spatial axes (>= 1)
   * @param name layer name, or {@code null} for TF1's automatic {@code conv2d_N}
   * @return the convolution, same data format
   */
  public Operand<TFloat32> customConv2d(
      Operand<TFloat32> inputs, int filters, int kernelSize, int strides, String name) {
    StridedInput strided = padForStrides(inputs, kernelSize, strides);
    return conv2d.apply(
        currentScope(), name, strided.inputs(), filters, kernelSize, strides, strided.padding());
  }

  /** Inputs prepared as custom_conv2d prepares them, and the padding algorithm it then uses. */
  private record StridedInput(Operand<TFloat32> inputs, Padding padding) {}

  private StridedInput padForStrides(Operand<TFloat32> inputs, int kernelSize, int strides) {
    TensorShapes.requirePositive("kernelSize", kernelSize);
    TensorShapes.requirePositive("strides", strides);
    return strides > 1
        ? new StridedInput(customPadding(inputs, kernelSize), Padding.VALID)
        : new StridedInput(inputs, Padding.SAME);
  }

  /**
   * {@code preActivation(customConv2d(inputs, ...))}, the pair inside every block; with {@link
   * Builder#foldBatchNorms} in inference mode the batch norm is folded into the convolution.
   */
  private Operand<TFloat32> convThenPreActivation(
      Operand<TFloat32> inputs, int filters, int kernelSize, int strides, boolean isTraining) {
    if (!foldBatchNorms || isTraining) {
      return preActivation(customConv2d(inputs, filters, kernelSize, strides, null), isTraining);
    }
    StridedInput strided = padForStrides(inputs, kernelSize, strides);
    Operand<TFloat32> normalized =
        foldedConvBatchNorm.apply(
            currentScope(), strided.inputs(), filters, kernelSize, strides, strided.padding());
    return currentScope().ops().nn.relu(normalized);
  }

  /**
   * Python {@code pre_activation}: {@code relu(batch_normalization(inputs, axis=channels,
   * training=isTraining))}.
   *
   * @param inputs image batch in this model's data format
   * @param isTraining batch statistics and moving-average update ops when true
   * @return same shape as {@code inputs}
   */
  public Operand<TFloat32> preActivation(Operand<TFloat32> inputs, boolean isTraining) {
    Operand<TFloat32> normalized = batchNormalization.apply(currentScope(), inputs, isTraining);
    return currentScope().ops().nn.relu(normalized);
  }

  /**
   * Python {@code pre_activation_with_shortcut}: the pre-activated inputs, and as shortcut either
   * the inputs themselves ({@code shortcutFilters == null}) or a 1x1 {@link #customConv2d} of the
   * pre-activated inputs with {@code shortcutFilters} filters and the given strides.
   *
   * @param inputs image batch in this model's data format
   * @param isTraining batch-norm mode
   * @param shortcutParams {@code (shortcut_filters, strides)}
   */
  public PreActivation preActivationWithShortcut(
      Operand<TFloat32> inputs, boolean isTraining, ShortcutParams shortcutParams) {
    if (shortcutParams == null) {
      throw new IllegalArgumentException(
          "shortcutParams must not be null; use ShortcutParams.identity() for no projection");
    }
    Operand<TFloat32> preActivatedInputs = preActivation(inputs, isTraining);
    Operand<TFloat32> shortcut = inputs;
    Integer shortcutFilters = shortcutParams.shortcutFilters();
    if (shortcutFilters != null) {
      shortcut =
          customConv2d(preActivatedInputs, shortcutFilters, 1, shortcutParams.strides(), null);
    }
    return new PreActivation(preActivatedInputs, shortcut);
  }

  /**
   * Python {@code regular_block} in scope {@code regular_block<index>}: pre-activation with
   * shortcut, 3x3 conv (strides), pre-activation, 3x3 conv, plus the shortcut.
   *
   * @param inputs image batch in this model's data format
   * @param filters channels of both convolutions and of the output
   * @param strides stride of the first convolution and of the projection shortcut
   * @param isTraining batch-norm mode
   * @param index block number within its block layer
   * @param shortcutFilters projection filters, or {@code null} for the identity shortcut
   */
  public Operand<TFloat32> regularBlock(
      Operand<TFloat32> inputs,
      int filters,
      int strides,
      boolean isTraining,
      int index,
      Integer shortcutFilters) {
    return inScope(
        "regular_block" + index,
        () -> {
          PreActivation pre =
              preActivationWithShortcut(
                  inputs, isTraining, new ShortcutParams(shortcutFilters, strides));
          Operand<TFloat32> pre2 =
              convThenPreActivation(pre.preActivatedInputs(), filters, 3, strides, isTraining);
          Operand<TFloat32> conv2 = customConv2d(pre2, filters, 3, 1, null);
          return addShortcut(conv2, pre.shortcut());
        });
  }

  /**
   * Python {@code bottleneck_block} in scope {@code bottleneck_block<index>}: pre-activation with
   * shortcut, 1x1 conv, pre-activation, 3x3 conv (strides), pre-activation, 1x1 conv to {@code 4 *
   * filters}, plus the shortcut.
   *
   * @param inputs image batch in this model's data format
   * @param filters channels of the inner convolutions; the output has {@code 4 * filters}
   * @param strides stride of the 3x3 convolution and of the projection shortcut
   * @param isTraining batch-norm mode
   * @param index block number within its block layer
   * @param shortcutFilters projection filters, or {@code null} for the identity shortcut
   */
  public Operand<TFloat32> bottleneckBlock(
      Operand<TFloat32> inputs,
      int filters,
      int strides,
      boolean isTraining,
      int index,
      Integer shortcutFilters) {
    return inScope(
        "bottleneck_block" + index,
        () -> {
          PreActivation pre =
              preActivationWithShortcut(
                  inputs, isTraining, new ShortcutParams(shortcutFilters, strides));
          Operand<TFloat32> pre2 =
              convThenPreActivation(pre.preActivatedInputs(), filters, 1, 1, isTraining);
          Operand<TFloat32> pre3 = convThenPreActivation(pre2, filters, 3, strides, isTraining);
          Operand<TFloat32> conv3 = customConv2d(pre3, 4 * filters, 1, 1, null);
          return addShortcut(conv3, pre.shortcut());
        });
  }

  /**
   * Python {@code block_layer} in scope {@code block_layer<index>}: a first block with a projection
   * shortcut ({@code filters}, or {@code 4 * filters} for bottleneck blocks) and {@code strides},
   * then {@code numBlocks - 1} blocks with identity shortcuts and stride 1.
   *
   * @return the last block's output, also exposed as endpoint {@code block_layer<index>}
   */
  public Operand<TFloat32> blockLayer(
      Operand<TFloat32> inputs,
      int filters,
      int strides,
      int numBlocks,
      boolean isTraining,
      int index) {
    TensorShapes.requirePositive("numBlocks", numBlocks);
    String name = blockLayerName(index);
    return inScope(
        name,
        () -> {
          int shortcutFilters = bottleneck ? 4 * filters : filters;
          Operand<TFloat32> out = block(inputs, filters, strides, isTraining, 0, shortcutFilters);
          for (int i = 1; i < numBlocks; i++) {
            out = block(out, filters, 1, isTraining, i, null);
          }
          return endpoint(name, out);
        });
  }

  /**
   * Python {@code model_layers}: initial 7x7/2 convolution, 3x3/2 max pool, the four block layers,
   * a final pre-activation, a global average pool (window = final feature map size, stride 1,
   * {@code 'valid'}), flatten and the {@code logits} dense layer.
   *
   * <p>Every call names its layers from scratch, so a second call reuses the first call's
   * variables: {@code modelLayers(x, true)} then {@code modelLayers(y, false)} shares weights.
   *
   * @param inputs {@code [batch, height, width, channels]} (channels_last) or {@code [batch,
   *     channels, height, width]}, spatial size and channels known
   * @param isTraining batch-norm mode
   * @return logits {@code [batch, outputSize]}
   */
  public Operand<TFloat32> modelLayers(Operand<TFloat32> inputs, boolean isTraining) {
    if (isTraining && variableStore == null) {
      throw new IllegalStateException(
          "This model's weights are frozen constants or fed variables: it is inference-only."
              + " Build training graphs on a model without frozenWeights or fedWeights.");
    }
    requireModelInput(inputs);
    rootScope.restartLayerNames();
    endpoints.clear();
    Operand<TFloat32> convInitial = customConv2d(inputs, FILTERS_INITIAL, 7, 2, CONV_INITIAL);
    convInitial = endpoint(CONV_INITIAL, convInitial);
    Operand<TFloat32> x =
        pooling.maxPooling2d(rootScope, POOL_INITIAL, convInitial, 3, 2, Padding.SAME);
    x = endpoint(POOL_INITIAL, x);
    for (int i = 0; i < blockLayerSizes.size(); i++) {
      x =
          blockLayer(
              x, FILTERS_INITIAL << i, BLOCK_STRIDES.get(i), blockLayerSizes.get(i), isTraining, i);
    }
    Operand<TFloat32> pre = endpoint(FINAL_PRE_ACTIVATION, preActivation(x, isTraining));
    // The Python pools with window pre.shape[2]: the width for channels_last, the height for
    // channels_first; both equal the final map's side for square inputs.
    long window = pre.shape().get(2);
    Operand<TFloat32> avgPool =
        pooling.averagePooling2d(rootScope, null, pre, Math.toIntExact(window), 1, Padding.VALID);
    Operand<TFloat32> logits = dense.apply(rootScope, LOGITS, flatten(avgPool), outputSize);
    return endpoint(LOGITS, logits);
  }

  /**
   * Every trainable-model variable created so far, keyed by TF1 name, in creation order (empty for
   * a model with frozen or fed weights).
   */
  public Map<String, Variable<TFloat32>> variables() {
    return variableStore == null ? Map.of() : variableStore.variables();
  }

  /** Every variable but the batch-norm moving statistics, in creation order. */
  public List<Variable<TFloat32>> trainableVariables() {
    return variableStore == null ? List.of() : variableStore.trainableVariables();
  }

  /**
   * The current values of every variable, keyed by TF1 name, in creation order: what {@link
   * Builder#frozenWeights} takes ({@link FrozenWeights#read} of {@link #variables()}).
   *
   * @param session a session on this model's graph whose variables are initialized or restored
   */
  public Map<String, float[]> readWeights(Session session) {
    return FrozenWeights.read(session, variables());
  }

  /**
   * A runner on {@code session} whose {@code i}-th fetch is the variable {@code names.get(i)}: run
   * it to get the weights as tensors, without copying them into Java.
   *
   * @param session a session on this model's graph whose variables are initialized or restored
   * @throws IllegalArgumentException naming a variable this model does not have
   */
  public Session.Runner weightsRunner(Session session, List<String> names) {
    Session.Runner runner = session.runner();
    for (String name : names) {
      Variable<TFloat32> variable = variables().get(name);
      if (variable == null) {
        throw new IllegalArgumentException(
            "This model has no variable '"
                + name
                + "'; it has "
                + variables().size()
                + " variables such as "
                + variables().keySet().stream().limit(3).toList());
      }
      runner.fetch(variable);
    }
    return runner;
  }

  /**
   * The fed variables of a model built with {@link Builder#fedWeights}: assign them once in a new
   * session before running the graph.
   *
   * @throws IllegalStateException for a model built without fed weights
   */
  public FedVariables fedVariables() {
    if (fedVariables == null) {
      throw new IllegalStateException(
          "This model was built without fedWeights: its weights are trainable variables or"
              + " constants");
    }
    return fedVariables;
  }

  /**
   * The moving-average assignments of every training-mode batch norm built so far, in creation
   * order (TF1 {@code tf.GraphKeys.UPDATE_OPS}). Running them once applies one update.
   */
  public List<Op> updateOps() {
    return variableStore == null ? List.of() : variableStore.updateOps();
  }

  /**
   * Whether inference-mode conv/batch-norm pairs are folded (see {@link Builder#foldBatchNorms}).
   */
  public boolean foldsBatchNorms() {
    return foldBatchNorms;
  }

  /**
   * Whether the model is inference-only: its weights are frozen constants or fed variables rather
   * than trainable variables.
   */
  public boolean frozen() {
    return variableStore == null;
  }

  /**
   * The named outputs of the latest {@link #modelLayers} call: {@code conv_initial}, {@code
   * pool_initial}, {@code block_layer0} to {@code block_layer3}, {@code final_pre_activation} and
   * {@code logits}. Each is also an {@code Identity} op named {@code <name>/output} in the graph
   * (suffixed {@code _1}, ... by later calls).
   */
  public Map<String, Operand<TFloat32>> endpoints() {
    return Collections.unmodifiableMap(endpoints);
  }

  /** Python {@code min_aspect_dim}: shorter side after the aspect-preserving resize. */
  public int minAspectDim() {
    return minAspectDim;
  }

  /** Python {@code resize_dim}: side of the square central crop the model reads. */
  public int resizeDim() {
    return resizeDim;
  }

  /** The depth this model was built with. */
  public int numLayers() {
    return numLayers;
  }

  /** Python {@code output_size}: number of classes. */
  public int outputSize() {
    return outputSize;
  }

  /** Python {@code data_format}. */
  public DataFormat dataFormat() {
    return dataFormat;
  }

  /** Python {@code block_layer_sizes} for this depth. */
  public List<Integer> blockLayerSizes() {
    return blockLayerSizes;
  }

  /** Python {@code bottleneck}: {@code numLayers >= 50}. */
  public boolean bottleneck() {
    return bottleneck;
  }

  /** The ops factory this model was built on. */
  public Ops tf() {
    return tf;
  }

  private Operand<TFloat32> block(
      Operand<TFloat32> inputs,
      int filters,
      int strides,
      boolean isTraining,
      int index,
      Integer shortcutFilters) {
    return bottleneck
        ? bottleneckBlock(inputs, filters, strides, isTraining, index, shortcutFilters)
        : regularBlock(inputs, filters, strides, isTraining, index, shortcutFilters);
  }

  private Operand<TFloat32> addShortcut(Operand<TFloat32> residual, Operand<TFloat32> shortcut) {
    if (!residual.shape().isCompatibleWith(shortcut.shape())) {
      throw new IllegalArgumentException(
          "The block's output "
              + residual.shape()
              + " and its shortcut "
              + shortcut.shape()
              + " differ: pass shortcutFilters (a projection) when the block changes the channel"
              + " count or uses strides > 1");
    }
    return currentScope().ops().math.add(residual, shortcut);
  }

  private Operand<TFloat32> flatten(Operand<TFloat32> inputs) {
    Shape shape = inputs.shape();
    long features = shape.get(1) * shape.get(2) * shape.get(3);
    Ops ops = rootScope.enter("flatten").ops();
    return ops.reshape(inputs, ops.constant(new long[] {-1, features}));
  }

  private Operand<TFloat32> endpoint(String name, Operand<TFloat32> value) {
    Operand<TFloat32> named = rootScope.enter(name).ops().withName(ENDPOINT_OP).identity(value);
    endpoints.put(name, named);
    return named;
  }

  private void requireModelInput(Operand<TFloat32> inputs) {
    Layout layout = dataFormat.layout();
    Shape shape = TensorShapes.requireImageBatch(inputs, layout, "modelLayers input");
    int channels = TensorShapes.channels(inputs, layout, "modelLayers input");
    Layout other = layout == Layout.NHWC ? Layout.NCHW : Layout.NHWC;
    long otherChannels = shape.get(other.channelAxis());
    if (channels > 4 && otherChannels >= 1 && otherChannels <= 4) {
      throw new IllegalArgumentException(
          "modelLayers input "
              + shape
              + " looks like "
              + TensorShapes.describe(other)
              + " but this model is "
              + dataFormat.pythonName()
              + " and expects "
              + TensorShapes.describe(layout)
              + ": transpose the images or build the model with "
              + (layout == Layout.NHWC ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST));
    }
    if (shape.get(layout.heightAxis()) < 1 || shape.get(layout.widthAxis()) < 1) {
      throw new IllegalArgumentException(
          "modelLayers needs a known image height and width (the global average pool's window is"
              + " the final feature map's size); got shape "
              + shape);
    }
  }

  private LayerScope currentScope() {
    return scopes.peek();
  }

  private <T> T inScope(String name, Supplier<T> body) {
    scopes.push(currentScope().enter(name));
    try {
      return body.get();
    } finally {
      scopes.pop();
    }
  }

  private static Map<Integer, List<Integer>> depthTable() {
    Map<Integer, List<Integer>> sizes = new LinkedHashMap<>();
    sizes.put(18, List.of(2, 2, 2, 2));
    sizes.put(34, List.of(3, 4, 6, 3));
    sizes.put(50, List.of(3, 4, 6, 3));
    sizes.put(101, List.of(3, 4, 23, 3));
    sizes.put(152, List.of(3, 8, 36, 3));
    sizes.put(200, List.of(3, 24, 36, 3));
    return Collections.unmodifiableMap(sizes);
  }
}
