package io.github.resnetjava.serving;

/**
 * One class of a classification result.
 *
 * @param classIndex the class's index in the model's output
 * @param label the class's line in {@code labels.txt}, or the index as text when there is none
 * @param probability the class's softmax probability
 */
public record Prediction(int classIndex, String label, float probability) {}
