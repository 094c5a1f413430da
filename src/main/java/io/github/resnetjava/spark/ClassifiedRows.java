package io.github.resnetjava.spark;

import io.github.resnetjava.serving.Prediction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows {@link SparkClassifier} returns: the input's columns except the image bytes, then the
 * top-1 class ({@value #CLASS_INDEX}, {@value #LABEL}, {@value #PROBABILITY}), the top-k classes
 * ({@value #TOP_K}, an array of structs of those three fields in {@code tf.math.top_k} order) and
 * {@value #ERROR}, which is null for a classified image and says why for one that could not be read
 * or decoded (its prediction columns are then null).
 */
final class ClassifiedRows implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String CLASS_INDEX = "class_index";
  static final String LABEL = "label";
  static final String PROBABILITY = "probability";
  static final String TOP_K = "top_k";
  static final String ERROR = "error";

  /** One class: the struct of {@value #TOP_K}'s elements. */
  static final StructType PREDICTION =
      DataTypes.createStructType(
          new StructField[] {
            DataTypes.createStructField(CLASS_INDEX, DataTypes.IntegerType, false),
            DataTypes.createStructField(LABEL, DataTypes.StringType, false),
            DataTypes.createStructField(PROBABILITY, DataTypes.FloatType, false)
          });

  private final int[] keptColumns;
  private final StructType schema;

  private ClassifiedRows(int[] keptColumns, StructType schema) {
    this.keptColumns = keptColumns;
    this.schema = schema;
  }

  /**
   * The output rows for input rows of {@code input}, dropping {@code dropped} (the image bytes,
   * which would bloat the output) when it is not null.
   *
   * @throws IllegalArgumentException if the input already has one of the output's columns
   */
  static ClassifiedRows forInput(StructType input, String dropped) {
    List<String> added = List.of(CLASS_INDEX, LABEL, PROBABILITY, TOP_K, ERROR);
    List<StructField> fields = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    StructField[] inputFields = input.fields();
    for (int i = 0; i < inputFields.length; i++) {
      String name = inputFields[i].name();
      if (added.contains(name)) {
        throw new IllegalArgumentException(
            "images already has a column '"
                + name
                + "', which the classification adds; rename"
                + " or drop it first (the added columns are "
                + added
                + ")");
      }
      if (!name.equals(dropped)) {
        fields.add(inputFields[i]);
        kept.add(i);
      }
    }
    fields.add(DataTypes.createStructField(CLASS_INDEX, DataTypes.IntegerType, true));
    fields.add(DataTypes.createStructField(LABEL, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(PROBABILITY, DataTypes.FloatType, true));
    fields.add(
        DataTypes.createStructField(TOP_K, DataTypes.createArrayType(PREDICTION, false), true));
    fields.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    return new ClassifiedRows(
        kept.stream().mapToInt(Integer::intValue).toArray(), DataTypes.createStructType(fields));
  }

  /** The output schema. */
  StructType schema() {
    return schema;
  }

  /** The output row of an image classified as {@code topK} (best first). */
  Row classified(Row input, List<Prediction> topK) {
    Row[] classes = new Row[topK.size()];
    for (int i = 0; i < classes.length; i++) {
      Prediction p = topK.get(i);
      classes[i] = RowFactory.create(p.classIndex(), p.label(), p.probability());
    }
    Prediction best = topK.get(0);
    return row(input, best.classIndex(), best.label(), best.probability(), classes, null);
  }

  /** The output row of an image that could not be classified, and why. */
  Row failed(Row input, String error) {
    return row(input, null, null, null, null, error);
  }

  private Row row(
      Row input, Integer classIndex, String label, Float probability, Row[] topK, String error) {
    Object[] values = new Object[keptColumns.length + 5];
    for (int i = 0; i < keptColumns.length; i++) {
      values[i] = input.get(keptColumns[i]);
    }
    int at = keptColumns.length;
    values[at] = classIndex;
    values[at + 1] = label;
    values[at + 2] = probability;
    values[at + 3] = topK;
    values[at + 4] = error;
    return RowFactory.create(values);
  }
}
