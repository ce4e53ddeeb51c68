package dev.clothes.trainer.train;

import dev.clothes.inference.json.Json;
import dev.clothes.trainer.TrainingException;

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
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * Trains a single-input, single-output graph with early stopping on validation accuracy: the head
 * on pooled features ({@link HeadTrainer}) and the top of the trunk with the head on cut-point
 * activations ({@link FineTuner}). Checkpoints after every epoch (network with updater state, plus
 * {@code state.json}); a killed run resumes where it stopped and, since every epoch reseeds its
 * shuffle and dropout, ends as an uninterrupted run would.
 */
final class GraphTrainer {

    // Checkpoints are named by epoch and state.json is the commit point: a run killed between writing a
    // network and writing the state resumes from the files the state names, never from a newer network.
    static String last(int epoch) {
        return "last-epoch-" + epoch + ".zip";
    }

    static String best(int epoch) {
        return "best-epoch-" + epoch + ".zip";
    }

    static final String STATE = "state.json";

    /** Inputs (first axis: rows) and their classes. */
    record Data(INDArray x, int[] labels) {
        Data {
            if (x.size(0) != labels.length) {
                throw new IllegalArgumentException(x.size(0) + " rows but " + labels.length + " labels");
            }
        }
    }

    /** The best epoch's network and the per-epoch history. */
    record Result(ComputationGraph best, TrainingState state) {
    }

    private final Path checkpointDir;
    private final long seed;
    private final int batchSize;
    private final int maxEpochs;
    private final int patience;
    private final double labelSmoothing;
    private final double mixup;

    /** @param mixup Beta(alpha, alpha) of the minibatch mixing weight; 0 for no mixup */
    GraphTrainer(Path checkpointDir, long seed, int batchSize, int maxEpochs, int patience, double labelSmoothing,
                 double mixup) {
        this.labelSmoothing = labelSmoothing;
        this.mixup = mixup;
        this.checkpointDir = checkpointDir;
        this.seed = seed;
        this.batchSize = batchSize;
        this.maxEpochs = maxEpochs;
        this.patience = patience;
    }

    /**
     * @param fresh     the untrained network (ignored when resuming)
     * @param digest    everything the result depends on; a checkpoint made with another is refused
     * @param epochRows the training rows an epoch visits, before shuffling
     * @param keepStart the untrained network is a candidate too (epoch 0): when no epoch beats it on
     *                  validation, it is the result
     */
    Result train(Supplier<ComputationGraph> fresh, Data train, Data validation, String digest, boolean resume,
                 IntFunction<int[]> epochRows, boolean keepStart, PrintStream log) throws IOException {
        Files.createDirectories(checkpointDir);
        ComputationGraph net;
        TrainingState state;
        Path statePath = checkpointDir.resolve(STATE);
        if (resume && Files.isRegularFile(statePath)) {
            state = Json.mapper().readValue(statePath.toFile(), TrainingState.class);
            if (!state.configDigest().equals(digest)) {
                throw new TrainingException(TrainingException.Kind.RESUME_MISMATCH, "the checkpoint in "
                        + checkpointDir + " was made with other data or settings; use another --out folder or drop "
                        + "--resume");
            }
            net = ModelSerializer.restoreComputationGraph(checkpointDir.resolve(last(state.epochsDone())).toFile(), true);
            log.printf(Locale.ROOT, "resuming after epoch %d (best so far: epoch %d, %.2f %% validation accuracy)%n",
                    state.epochsDone(), state.bestEpoch(), 100 * state.bestValidationAccuracy());
        } else {
            net = fresh.get();
            state = TrainingState.fresh(digest);
            if (keepStart) {
                double[] start = lossAndAccuracy(net, validation);
                state = new TrainingState(digest, 0, 0, start[1], start[0], List.of(), false);
                save(net, best(0), false);
                save(net, last(0), true);
                writeState(state);
                log.printf(Locale.ROOT, "start: val loss %.4f  val acc %.2f %%%n", start[0], 100 * start[1]);
            }
        }

        int classes = (int) net.getOutputLayer(0).getParam("b").length();
        INDArray trainY = targets(train.labels(), classes, labelSmoothing);
        List<EpochMetrics> history = new ArrayList<>(state.history());
        int sinceBest = state.epochsDone() - state.bestEpoch();
        for (int epoch = state.epochsDone() + 1; epoch <= maxEpochs && !state.finished(); epoch++) {
            long start = System.nanoTime();
            Nd4j.getRandom().setSeed(seed * 7919 + epoch);
            int[] rows = epochRows.apply(epoch);
            int[] order = shuffled(rows, seed + epoch);
            SplittableRandom mixing = new SplittableRandom(seed * 31 + epoch);
            for (int from = 0; from < order.length; from += batchSize) {
                int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
                INDArray x = rows(train.x(), idx);
                INDArray y = trainY.getRows(idx);
                if (mixup > 0) {
                    // Each row mixed with another of the batch, features and targets alike (Zhang et al. 2018).
                    double lambda = Mixup.beta(mixing, mixup);
                    int[] partner = shuffled(java.util.stream.IntStream.range(0, idx.length).toArray(), mixing.nextLong());
                    x = x.mul(lambda).addi(rows(x, partner).muli(1 - lambda));
                    y = y.mul(lambda).addi(y.getRows(partner).muli(1 - lambda));
                }
                net.fit(new DataSet(x, y));
            }
            int[] sorted = rows.clone();
            java.util.Arrays.sort(sorted);
            double[] trainFit = lossAndAccuracy(net, new Data(rows(train.x(), sorted), labels(train.labels(), sorted)));
            double[] valFit = lossAndAccuracy(net, validation);
            EpochMetrics m = new EpochMetrics(epoch, trainFit[0], trainFit[1], valFit[0], valFit[1],
                    (System.nanoTime() - start) / 1e9);
            history.add(m);
            boolean better = valFit[1] > state.bestValidationAccuracy()
                    || (valFit[1] == state.bestValidationAccuracy() && valFit[0] < state.bestValidationLoss());
            sinceBest = better ? 0 : sinceBest + 1;
            boolean stop = sinceBest >= patience || epoch == maxEpochs;
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
                    epoch, maxEpochs, m.trainLoss(), 100 * m.trainAccuracy(), m.validationLoss(),
                    100 * m.validationAccuracy(), better ? "  *best" : "", m.seconds());
            if (stop && epoch < maxEpochs) {
                log.printf(Locale.ROOT, "early stop: no better validation accuracy for %d epochs%n", patience);
            }
        }
        net.close();
        ComputationGraph best = ModelSerializer.restoreComputationGraph(
                checkpointDir.resolve(best(state.bestEpoch())).toFile(), false);
        return new Result(best, state);
    }

    /** Probabilities for {@code x}, dropout off, in batches so a large input never makes one huge activation. */
    static INDArray predict(ComputationGraph net, INDArray x) {
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += 256) {
            long to = Math.min(x.size(0), from + 256);
            parts.add(net.outputSingle(false, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to))));
        }
        return Nd4j.vstack(parts.toArray(INDArray[]::new));
    }

    /** Mean cross-entropy (unweighted) and accuracy, dropout off. */
    static double[] lossAndAccuracy(ComputationGraph net, Data data) {
        float[][] p = predict(net, data.x()).toFloatMatrix();
        int[] labels = data.labels();
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            loss -= Math.log(Math.max(1e-7, p[i][labels[i]]));
            int argmax = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][argmax]) {
                    argmax = c;
                }
            }
            if (argmax == labels[i]) {
                correct++;
            }
        }
        return new double[] {loss / labels.length, (double) correct / labels.length};
    }

    /** One-hot targets with {@code smoothing} of each spread evenly over the classes. */
    static INDArray targets(int[] labels, int classes, double smoothing) {
        float[][] y = new float[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            java.util.Arrays.fill(y[i], (float) (smoothing / classes));
            y[i][labels[i]] += (float) (1 - smoothing);
        }
        return Nd4j.create(y);
    }

    /** The rows {@code idx} of {@code x}, whatever its rank. */
    static INDArray rows(INDArray x, int[] idx) {
        if (x.rank() == 2) {
            return x.getRows(idx);
        }
        return x.get(new SpecifiedIndex(java.util.Arrays.stream(idx).asLongStream().toArray())).dup('c');
    }

    static int[] labels(int[] labels, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }

    private static int[] shuffled(int[] rows, long seed) {
        int[] order = rows.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private void save(ComputationGraph net, String name, boolean withUpdater) throws IOException {
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
