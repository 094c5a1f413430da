package io.github.resnetjava.spark;

import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.InvalidInputException;
import io.github.resnetjava.serving.Prediction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Classifies one partition's images in batches of {@code batchSize} through the {@code image_bytes}
 * signature ({@link Classifier#classifyEncoded(List, int)}), with the executor JVM's shared {@link
 * Classifier} ({@link ExecutorClassifiers}). Rows come out in input order, one per input row, a
 * batch at a time, so a partition of any size needs memory for one batch only.
 *
 * <p>An image that cannot be read or decoded becomes an error row ({@link ClassifiedRows#failed}):
 * TensorFlow rejects a whole batch for one bad file, so a rejected batch is retried image by image
 * to find which files are at fault and classify the rest.
 */
final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final String savedModelDir;
  private final ImageColumn images;
  private final ClassifiedRows output;
  private final int topK;
  private final int batchSize;

  ClassifyPartition(
      String savedModelDir, ImageColumn images, ClassifiedRows output, int topK, int batchSize) {
    this.savedModelDir = savedModelDir;
    this.images = images;
    this.output = output;
    this.topK = topK;
    this.batchSize = batchSize;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Classifier classifier = ExecutorClassifiers.forDirectory(savedModelDir);
    return new Iterator<>() {
      private final Queue<Row> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && rows.hasNext()) {
          ready.addAll(classifyBatch(classifier, nextBatch(rows)));
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.remove();
      }
    };
  }

  private List<Row> nextBatch(Iterator<Row> rows) {
    List<Row> batch = new ArrayList<>(batchSize);
    while (batch.size() < batchSize && rows.hasNext()) {
      batch.add(rows.next());
    }
    return batch;
  }

  /** The output rows of {@code batch}, in order. */
  private List<Row> classifyBatch(Classifier classifier, List<Row> batch) {
    Row[] out = new Row[batch.size()];
    List<Integer> readable = new ArrayList<>(batch.size());
    List<byte[]> files = new ArrayList<>(batch.size());
    for (int i = 0; i < out.length; i++) {
      try {
        byte[] file = images.read(batch.get(i));
        if (file.length == 0) {
          out[i] = output.failed(batch.get(i), "empty file");
        } else {
          readable.add(i);
          files.add(file);
        }
      } catch (ImageColumn.UnreadableImageException e) {
        out[i] = output.failed(batch.get(i), e.getMessage());
      }
    }
    if (!files.isEmpty()) {
      try {
        List<List<Prediction>> predictions = classifier.classifyEncoded(files, topK);
        for (int j = 0; j < readable.size(); j++) {
          out[readable.get(j)] = output.classified(batch.get(readable.get(j)), predictions.get(j));
        }
      } catch (InvalidInputException batchRejected) {
        for (int j = 0; j < readable.size(); j++) {
          out[readable.get(j)] = classifyOne(classifier, batch.get(readable.get(j)), files.get(j));
        }
      }
    }
    return List.of(out);
  }

  private Row classifyOne(Classifier classifier, Row row, byte[] file) {
    try {
      return output.classified(row, classifier.classifyEncoded(file, topK));
    } catch (InvalidInputException e) {
      return output.failed(row, e.getMessage());
    }
  }
}
