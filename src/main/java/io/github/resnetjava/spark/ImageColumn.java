package io.github.resnetjava.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Where a row's encoded image comes from: the binary {@value #CONTENT} column that Spark's {@code
 * binaryFile} source gives ({@code spark.read().format("binaryFile")}), or else a string {@value
 * #PATH} column naming a file any executor can read through Hadoop's file systems ({@code file:},
 * {@code hdfs:}, {@code s3a:} with its connector, ...).
 */
final class ImageColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The binary column of Spark's {@code binaryFile} source: the whole file. */
  static final String CONTENT = "content";

  /** The file path column of Spark's {@code binaryFile} source. */
  static final String PATH = "path";

  private final int index;
  private final boolean isPath;
  private final SerializableConfiguration hadoopConf;

  private ImageColumn(int index, boolean isPath, SerializableConfiguration hadoopConf) {
    this.index = index;
    this.isPath = isPath;
    this.hadoopConf = hadoopConf;
  }

  /**
   * The image column of {@code schema}: {@value #CONTENT} when it is there, otherwise {@value
   * #PATH}, read with {@code hadoopConf} (the driver's Hadoop configuration).
   *
   * @throws IllegalArgumentException if there is neither, or it has the wrong type
   */
  static ImageColumn of(StructType schema, org.apache.hadoop.conf.Configuration hadoopConf) {
    if (Arrays.asList(schema.fieldNames()).contains(CONTENT)) {
      requireType(schema, CONTENT, DataTypes.BinaryType);
      return new ImageColumn(schema.fieldIndex(CONTENT), false, null);
    }
    if (Arrays.asList(schema.fieldNames()).contains(PATH)) {
      requireType(schema, PATH, DataTypes.StringType);
      return new ImageColumn(
          schema.fieldIndex(PATH), true, new SerializableConfiguration(hadoopConf));
    }
    throw new IllegalArgumentException(
        "images must have a binary '"
            + CONTENT
            + "' column (spark.read().format(\"binaryFile\")"
            + " gives one) or a string '"
            + PATH
            + "' column of image files; its columns are "
            + Arrays.toString(schema.fieldNames()));
  }

  /** Whether the image bytes are in the rows ({@value #CONTENT}) rather than read from files. */
  boolean isContent() {
    return !isPath;
  }

  /**
   * The encoded image of {@code row}.
   *
   * @throws UnreadableImageException if the row has no image or its file cannot be read
   */
  byte[] read(Row row) {
    if (row.isNullAt(index)) {
      throw new UnreadableImageException("the " + (isPath ? PATH : CONTENT) + " column is null");
    }
    if (!isPath) {
      return (byte[]) row.get(index);
    }
    Path file = new Path(row.getString(index));
    try (InputStream in = file.getFileSystem(hadoopConf.value()).open(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UnreadableImageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void requireType(StructType schema, String name, DataType type) {
    StructField field = schema.apply(name);
    if (!field.dataType().equals(type)) {
      throw new IllegalArgumentException(
          "The '"
              + name
              + "' column of images must be "
              + type.simpleString()
              + "; it is "
              + field.dataType().simpleString());
    }
  }

  /** A row whose image could not be obtained; it becomes an error row, not a failed task. */
  static final class UnreadableImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableImageException(String message) {
      super(message);
    }
  }
}
