package dev.clothes.trainer.train;

import dev.clothes.inference.json.Json;
import dev.clothes.trainer.TrainingException;
import dev.clothes.trainer.features.FeatureSet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains the head on cached features with early stopping on validation accuracy. Checkpoints after
 * every epoch (network with updater state, plus {@code state.json}); a killed run resumes where it
 * stopped and, since every epoch reseeds its shuffle and dropout, ends as an uninterrupted run would.
 */
public final class HeadTrainer {

    // Checkpoints are named by epoch and state.json is the commit point: a run killed between writing a
    // network and writing the state resumes from the files the state names, never from a newer network.
    static String last(int epoch) {
        return "last-epoch-" + epoch + ".zip";
    }

    static String best(int epoch) {
        return "best-epoch-" + epoch + ".zip";
    }
    static final String STATE = "state.json";

    private final HeadConfig config;
    private final Path checkpointDir;

    public HeadTrainer(HeadConfig config, Path checkpointDir) {
        this.config = config;
        this.checkpointDir = checkpointDir;
    }

    /** The trained head (best epoch) and the per-epoch history. */
    public record Result(MultiLayerNetwork head, TrainingState state) {
    }

    public Result train(FeatureSet train, FeatureSet validation, int classes, String dataDigest, boolean resume,
                        PrintStream log) throws IOException {
        String digest = dataDigest + "|" + config;
        Files.createDirectories(checkpointDir);
        MultiLayerNetwork net;
        TrainingState state;
        Path statePath = checkpointDir.resolve(STATE);
        if (resume && Files.isRegularFile(statePath)) {
            state = Json.mapper().readValue(statePath.toFile(), TrainingState.class);
            if (!state.configDigest().equals(digest)) {
                throw new TrainingException(TrainingException.Kind.RESUME_MISMATCH, "the checkpoint in "
                        + checkpointDir + " was made with other data or settings; use another --out folder or drop "
                        + "--resume");
            }
            net = ModelSerializer.restoreMultiLayerNetwork(checkpointDir.resolve(last(state.epochsDone())).toFile(), true);
            log.printf(Locale.ROOT, "resuming after epoch %d (best so far: epoch %d, %.2f %% validation accuracy)%n",
                    state.epochsDone(), state.bestEpoch(), 100 * state.bestValidationAccuracy());
        } else {
            net = new MultiLayerNetwork(configuration(train.features()[0].length, classes, classWeights(train, classes)));
            net.init();
            state = TrainingState.fresh(digest);
        }

        INDArray trainX = Nd4j.create(train.features());
        INDArray trainY = oneHot(train.labels(), classes);
        INDArray valX = Nd4j.create(validation.features());
        List<EpochMetrics> history = new ArrayList<>(state.history());
        int sinceBest = state.epochsDone() - state.bestEpoch();
        for (int epoch = state.epochsDone() + 1; epoch <= config.maxEpochs() && !state.finished(); epoch++) {
            long start = System.nanoTime();
            Nd4j.getRandom().setSeed(config.seed() * 7919 + epoch);
            int[] order = shuffled(train.size(), config.seed() + epoch);
            for (int from = 0; from < order.length; from += config.batchSize()) {
                int to = Math.min(order.length, from + config.batchSize());
                long[] idx = new long[to - from];
                for (int k = from; k < to; k++) {
                    idx[k - from] = order[k];
                }
                net.fit(new DataSet(trainX.getRows(toInt(idx)), trainY.getRows(toInt(idx))));
            }
            double[] trainFit = lossAndAccuracy(net, trainX, train.labels());
            double[] valFit = lossAndAccuracy(net, valX, validation.labels());
            EpochMetrics m = new EpochMetrics(epoch, trainFit[0], trainFit[1], valFit[0], valFit[1],
                    (System.nanoTime() - start) / 1e9);
            history.add(m);
            boolean better = valFit[1] > state.bestValidationAccuracy()
                    || (valFit[1] == state.bestValidationAccuracy() && valFit[0] < state.bestValidationLoss());
            sinceBest = better ? 0 : sinceBest + 1;
            boolean stop = sinceBest >= config.patience() || epoch == config.maxEpochs();
            state = new TrainingState(digest, epoch, better ? epoch : state.bestEpoch(),
                    better ? valFit[1] : state.bestValidationAccuracy(), better ? valFit[0] : state.bestValidationLoss(),
                    history, stop);
            if (better) {
                save(net, best(epoch), false);
            }
            save(net, last(epoch), true);
            writeState(state);
            deleteCheckpointsOtherThan(state);
            log.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  acc %.2f %%  |  val loss %.4f  val acc %.2f %%%s  (%.1f s)%n",
                    epoch, config.maxEpochs(), m.trainLoss(), 100 * m.trainAccuracy(), m.validationLoss(),
                    100 * m.validationAccuracy(), better ? "  *best" : "", m.seconds());
            if (stop && epoch < config.maxEpochs()) {
                log.printf(Locale.ROOT, "early stop: no better validation accuracy for %d epochs%n", config.patience());
            }
        }
        MultiLayerNetwork best = ModelSerializer.restoreMultiLayerNetwork(checkpointDir.resolve(best(state.bestEpoch())).toFile(), false);
        return new Result(best, state);
    }

    MultiLayerConfiguration configuration(int inputs, int classes, INDArray classWeights) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .l2(config.l2())
                .list();
        for (Layer layer : new Head(config).trainingLayers(inputs, classes, classWeights)) {
            list.layer(layer);
        }
        return list.build();
    }

    private INDArray classWeights(FeatureSet train, int classes) {
        if (!config.classWeighting()) {
            return null;
        }
        double[] counts = new double[classes];
        for (int label : train.labels()) {
            counts[label]++;
        }
        double[] weights = new double[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 0 : train.size() / (classes * counts[c]);
        }
        return Nd4j.create(weights).castTo(DataType.FLOAT).reshape(1, classes);
    }

    /** Mean cross-entropy (unweighted) and accuracy, dropout off. */
    static double[] lossAndAccuracy(MultiLayerNetwork net, INDArray x, int[] labels) {
        INDArray p = net.output(x, false);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            loss -= Math.log(Math.max(1e-7, p.getDouble(i, labels[i])));
            if (Nd4j.argMax(p.getRow(i)).getInt(0) == labels[i]) {
                correct++;
            }
        }
        return new double[] {loss / labels.length, (double) correct / labels.length};
    }

    static INDArray oneHot(int[] labels, int classes) {
        float[][] y = new float[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1;
        }
        return Nd4j.create(y);
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static int[] toInt(long[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = (int) idx[i];
        }
        return out;
    }

    private void save(MultiLayerNetwork net, String name, boolean withUpdater) throws IOException {
        Path tmp = checkpointDir.resolve(name + ".tmp");
        ModelSerializer.writeModel(net, tmp.toFile(), withUpdater);
        Files.move(tmp, checkpointDir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void deleteCheckpointsOtherThan(TrainingState state) throws IOException {
        List<String> keep = List.of(last(state.epochsDone()), best(state.bestEpoch()));
        try (var files = Files.list(checkpointDir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if ((name.startsWith("last-epoch-") || name.startsWith("best-epoch-")) && !keep.contains(name)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void writeState(TrainingState state) {
        try {
            Path tmp = checkpointDir.resolve(STATE + ".tmp");
            Json.mapper().writeValue(tmp.toFile(), state);
            Files.move(tmp, checkpointDir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
