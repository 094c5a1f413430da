/**
 * Training a ResNet from the JVM with the official TF ResNet's recipe ({@code
 * official/r1/resnet/resnet_run_loop.py}), then exporting it.
 *
 * <ul>
 *   <li>the graph: {@link io.github.resnetjava.train.TrainingGraph} (training step and inference
 *       pass on shared weights, as {@code resnet_model_fn} builds them for {@code TRAIN} and {@code
 *       EVAL}), {@link io.github.resnetjava.train.TrainingLoss} (cross-entropy plus weight decay)
 *       and {@link io.github.resnetjava.train.MomentumOptimizer} (TF1's {@code MomentumOptimizer},
 *       applied by this project because TensorFlow Java's framework optimizers reject {@code /} in
 *       variable names);
 *   <li>the loop: {@link io.github.resnetjava.train.Trainer} (one session: step, evaluate,
 *       checkpoint, export), {@link io.github.resnetjava.train.TrainingRun} (what {@code
 *       resnet_main} does with an Estimator), {@link io.github.resnetjava.train.TrainingConfig},
 *       {@link io.github.resnetjava.train.LearningRateSchedule} ({@code learning_rate_with_decay})
 *       and {@link io.github.resnetjava.train.CheckpointManager} ({@code
 *       tf.train.Saver(max_to_keep)});
 *   <li>the data: {@link io.github.resnetjava.train.ImageFolderDataset} (Keras' {@code
 *       image_dataset_from_directory}), {@link io.github.resnetjava.train.SyntheticShapesDataset},
 *       {@link io.github.resnetjava.train.Augmenter} (the CIFAR-10 training augmentation), {@link
 *       io.github.resnetjava.train.BatchSource} and {@link
 *       io.github.resnetjava.train.BatchPrefetcher} ({@code tf.data}'s shuffle, repeat and
 *       prefetch);
 *   <li>the record: {@link io.github.resnetjava.train.MetricsCsv} (Keras' {@code CSVLogger}),
 *       {@link io.github.resnetjava.train.MetricsPlot}, {@link
 *       io.github.resnetjava.train.ProgressBar} (Keras' {@code Progbar}) and {@link
 *       io.github.resnetjava.train.TrainingDivergedException} (what {@code NanTensorHook} stops
 *       for).
 * </ul>
 *
 * <h2>What it may use</h2>
 *
 * <p>{@code export} (the SavedModel writer), {@code savedmodel} (the names and layout of a
 * SavedModel it fine-tunes from), {@code preprocessing} (the image preprocessing the exported graph
 * runs, so training images are prepared exactly as served ones), {@code model}, {@code layers} (the
 * optimizer's slot variables), {@code runtime} (the process's oneDNN choice, asked for by the
 * {@link io.github.resnetjava.train.Trainer}), TensorFlow Java, SLF4J and the JDK. It imports
 * nothing from {@code serving}, {@code summary}, {@code gpu} or {@code cli}.
 */
package io.github.resnetjava.train;
