package io.github.resnetjava.export;

import io.github.resnetjava.savedmodel.ServingLayout;
import io.github.resnetjava.savedmodel.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes a {@link ServingGraph} and the variable values of a session as a SavedModel in TF
 * Serving's layout, {@code <modelsDir>/<name>/<version>/}: {@code saved_model.pb} with the
 * signatures of {@link Signatures} under tag {@value Signatures#TAG_SERVE}, {@code variables/}, and
 * optionally {@value Signatures#LABELS_FILE}.
 *
 * <p>The write is atomic: everything goes to a hidden sibling {@code <name>/.tmp-<version>-<hex>}
 * (which TF Serving does not take for a version), is flushed to the device ({@code fsync}), then
 * one {@code rename} moves it to {@code <name>/<version>}. A failed export deletes its staging
 * directory; an interrupted one may leave it behind, but never a partial version. An existing
 * version is replaced only with {@link #withOverwrite(boolean) overwrite}: the old directory is
 * renamed aside to {@code .old-<version>-<hex>}, the new one renamed in, then the old one deleted,
 * so the version directory is always either the old or the new export, and briefly (between two
 * back-to-back renames) absent: POSIX cannot exchange two directories atomically. Exports into one
 * model directory take turns on its {@code .export.lock}, and each first puts right what an
 * interrupted one left: a version left only in its {@code .old-*} copy is renamed back, other
 * {@code .tmp-*} and {@code .old-*} directories are deleted ({@link VersionSwap}).
 *
 * <p>The graph's variable initializers are exported as TF Java records them (a {@code NoOp} named
 * {@code init}) but not as a SavedModel main op, so loading restores the saved values and runs no
 * initializer over them. A graph without variables (frozen weights) gets an empty {@code
 * variables/} directory, which TensorFlow loads as a model with nothing to restore.
 *
 * <p>Instances are immutable; {@code with...} methods return modified copies.
 */
public final class SavedModelExporter {
  /** Called with the staging directory once it is complete, before it is moved into place. */
  @FunctionalInterface
  interface StagingHook {
    void staged(Path stagingDir) throws IOException;
  }

  private static final StagingHook NO_HOOK = stagingDir -> {};

  private final Path modelsDir;
  private final String modelName;
  private final List<String> labels;
  private final boolean overwrite;
  private final boolean optimizeForInference;
  private final StagingHook stagingHook;

  private SavedModelExporter(
      Path modelsDir,
      String modelName,
      List<String> labels,
      boolean overwrite,
      boolean optimizeForInference,
      StagingHook stagingHook) {
    this.modelsDir = modelsDir;
    this.modelName = modelName;
    this.labels = labels;
    this.overwrite = overwrite;
    this.optimizeForInference = optimizeForInference;
    this.stagingHook = stagingHook;
  }

  /**
   * An exporter writing versions of model {@code modelName} under {@code modelsDir}, without labels
   * and without overwriting.
   *
   * @param modelsDir TF Serving's model base directory; must exist
   * @param modelName the model's directory name under {@code modelsDir}, created if absent
   * @throws IllegalArgumentException if {@code modelName} is not one plain directory name
   */
  public static SavedModelExporter into(Path modelsDir, String modelName) {
    if (modelsDir == null) {
      throw new IllegalArgumentException("modelsDir must not be null");
    }
    return new SavedModelExporter(
        modelsDir, ServingLayout.requireModelName(modelName), null, false, false, NO_HOOK);
  }

  /**
   * Writes {@code labels}, one per line in class-index order, to {@value Signatures#LABELS_FILE}
   * beside {@code saved_model.pb}; {@code null} writes no labels file. {@link #export} requires one
   * label per class.
   *
   * @throws IllegalArgumentException if a label is null or holds a line break
   */
  public SavedModelExporter withLabels(List<String> labels) {
    if (labels != null) {
      for (int i = 0; i < labels.size(); i++) {
        String label = labels.get(i);
        if (label == null || label.indexOf('\n') >= 0 || label.indexOf('\r') >= 0) {
          throw new IllegalArgumentException(
              "Label "
                  + i
                  + " is null or holds a line break; "
                  + Signatures.LABELS_FILE
                  + " holds one label per line");
        }
      }
    }
    return new SavedModelExporter(
        modelsDir,
        modelName,
        labels == null ? null : List.copyOf(labels),
        overwrite,
        optimizeForInference,
        stagingHook);
  }

  /** Whether {@link #export} may replace an existing version directory. */
  public SavedModelExporter withOverwrite(boolean overwrite) {
    return new SavedModelExporter(
        modelsDir, modelName, labels, overwrite, optimizeForInference, stagingHook);
  }

  /**
   * Whether {@link #export} writes the {@link OptimizedServingGraph} of the serving graph it is
   * given (conv/batch-norm pairs folded, in Java) instead of the graph itself. The optimized
   * SavedModel has the same signatures; its variables are the folded kernels and biases ({@code
   * <conv>/folded_kernel}, {@code <conv>/folded_bias}) and the unfolded weights under their TF1
   * names, so it serves but cannot be trained further.
   */
  public SavedModelExporter withInferenceOptimization(boolean optimizeForInference) {
    return new SavedModelExporter(
        modelsDir, modelName, labels, overwrite, optimizeForInference, stagingHook);
  }

  /** This exporter with a hook run after staging: tests inject failures with it. */
  SavedModelExporter withStagingHook(StagingHook hook) {
    return new SavedModelExporter(
        modelsDir, modelName, labels, overwrite, optimizeForInference, hook);
  }

  /** The directory holding this model's versions: {@code <modelsDir>/<name>}. */
  public Path modelDir() {
    return modelsDir.resolve(modelName);
  }

  /**
   * One more than the highest version directory (servable or not), or 1 if there is none: the
   * version TF Serving would switch to next.
   */
  public long nextVersion() {
    return ServingLayout.highestVersionDirectory(modelDir()).orElse(0) + 1;
  }

  /**
   * Exports {@code servingGraph}'s signatures with {@code session}'s current variable values (or,
   * {@link #withInferenceOptimization with inference optimization}, its optimized copy holding
   * those values with the batch norms folded in).
   *
   * @param session a session on {@code servingGraph.graph()} holding the values to export
   * @param servingGraph the signatures to write
   * @param version the version directory name, {@code >= 0}
   * @return {@code <modelsDir>/<name>/<version>}
   * @throws IllegalArgumentException for a null argument, a negative version, a session on another
   *     graph, labels that do not match the model's class count, or inference optimization of a
   *     model that is already inference-only
   * @throws ExportException if {@code modelsDir} does not exist, the version exists and overwrite
   *     is off, or writing fails (then nothing is left at the version directory that was not there
   *     before)
   */
  public Path export(Session session, ServingGraph servingGraph, long version) {
    requireExportable(session, servingGraph, version);
    Path modelDir = modelDir();
    Path target = modelDir.resolve(Long.toString(version));
    requireFreeUnlessOverwriting(
        target, " already exists; export another version or enable overwrite");
    try (VersionSwap swap = VersionSwap.lock(modelDir)) {
      return stageAndMoveIntoPlace(swap, session, servingGraph, version, target);
    } catch (ExportException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Inside this block a RuntimeException is TensorFlow's (saving variables, serializing).
      throw new ExportException("Could not export the SavedModel to " + target + ": " + e, e);
    }
  }

  /** The argument and destination checks of {@link #export}, made before anything is written. */
  private void requireExportable(Session session, ServingGraph servingGraph, long version) {
    if (session == null || servingGraph == null) {
      throw new IllegalArgumentException("session and servingGraph must not be null");
    }
    if (session.graph() != servingGraph.graph()) {
      throw new IllegalArgumentException(
          "The session must run the serving graph's Graph: export the session that holds the"
              + " trained values of the model the ServingGraph was built on");
    }
    ServingLayout.requireVersion(version);
    requireLabelsMatch(servingGraph.model().outputSize());
    if (optimizeForInference && servingGraph.model().frozen()) {
      throw new IllegalArgumentException(
          "Inference optimization rebuilds a variable-backed model; this model is already"
              + " inference-only (frozen constants or an optimized copy): export it without"
              + " optimization");
    }
    if (!Files.isDirectory(modelsDir)) {
      throw new ExportException(
          "Models directory " + modelsDir + " does not exist or is not a directory");
    }
  }

  private void requireFreeUnlessOverwriting(Path target, String problem) {
    if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new ExportException(target + problem);
    }
  }

  /**
   * Writes the version into a hidden staging directory, then, under {@code swap}'s lock, moves it
   * to {@code target}; a staging directory that did not make it into place is deleted.
   */
  private Path stageAndMoveIntoPlace(
      VersionSwap swap, Session session, ServingGraph servingGraph, long version, Path target)
      throws IOException {
    Path staging =
        Files.createDirectory(modelDir().resolve(hiddenName(VersionSwap.STAGING_PREFIX, version)));
    boolean committed = false;
    try {
      writeSavedModel(session, servingGraph, staging);
      writeLabels(staging);
      stagingHook.staged(staging);
      requireFreeUnlessOverwriting(
          target, " appeared during the export; export another version or enable overwrite");
      swap.moveIntoPlace(staging, target, hiddenName(ServingLayout.RETIRED_PREFIX, version));
      committed = true;
      return target;
    } finally {
      if (!committed) {
        VersionSwap.deleteRecursively(staging);
      }
    }
  }

  private void writeSavedModel(Session session, ServingGraph servingGraph, Path dir)
      throws IOException {
    if (optimizeForInference) {
      try (OptimizedServingGraph optimized = OptimizedServingGraph.of(session, servingGraph)) {
        writeSignatures(optimized.session(), optimized.servingGraph(), dir);
      }
    } else {
      writeSignatures(session, servingGraph, dir);
    }
  }

  private static void writeSignatures(Session session, ServingGraph servingGraph, Path dir)
      throws IOException {
    SavedModelBundle.Exporter exporter =
        SavedModelBundle.exporter(dir.toString()).withTags(Signatures.TAG_SERVE);
    for (Signature signature : servingGraph.signatures()) {
      exporter.withFunction(SessionFunction.create(signature, session));
    }
    exporter.export();
  }

  private void writeLabels(Path dir) throws IOException {
    if (labels != null) {
      Files.write(dir.resolve(Signatures.LABELS_FILE), labels, StandardCharsets.UTF_8);
    }
  }

  private void requireLabelsMatch(int numClasses) {
    if (labels != null && labels.size() != numClasses) {
      throw new IllegalArgumentException(
          "Got "
              + labels.size()
              + " labels for a model with "
              + numClasses
              + " classes: give one label per class, in class-index order");
    }
  }

  private static String hiddenName(String prefix, long version) {
    return prefix
        + "-"
        + version
        + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
