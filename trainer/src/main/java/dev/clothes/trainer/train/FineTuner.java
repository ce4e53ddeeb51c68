package dev.clothes.trainer.train;

import dev.clothes.trainer.finetune.TrunkCut;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains the trunk above the cut together with the head, starting from the pretrained trunk and the
 * head trained on pooled features; see {@link GraphTrainer} for early stopping and checkpoints. The
 * starting point competes on validation too, so fine-tuning never returns a worse model than the head.
 */
public final class FineTuner {

    private final FineTuneConfig config;
    private final HeadConfig head;
    private final Path checkpointDir;

    public FineTuner(FineTuneConfig config, HeadConfig head, Path checkpointDir) {
        this.config = config;
        this.head = head;
        this.checkpointDir = checkpointDir;
    }

    /** The fine-tuned top + head (best epoch, cut activations in, probabilities out) and its history. */
    public record Result(ComputationGraph top, TrainingState state) {
    }

    /**
     * @param trainedHead the head trained on pooled features, the starting point
     * @param train       cut activations (NCHW), {@code variants} consecutive rows per image
     */
    public Result train(TrunkCut cut, ComputationGraph trainedHead, INDArray train, int[] trainLabels, int variants,
                        INDArray validation, int[] validationLabels, int classes, String dataDigest, boolean resume,
                        PrintStream log) throws IOException {
        Head layout = new Head(head);
        INDArray classWeights = layout.classWeights(trainLabels, classes);
        int featureSize = (int) trainedHead.getLayer(layout.layerNames().get(0)).getParam("W").size(0);
        GraphTrainer.Result result = new GraphTrainer(checkpointDir, head.seed(), head.batchSize(), config.maxEpochs(),
                config.patience(), head.labelSmoothing(), 0)
                .train(() -> {
                    ComputationGraph top = graph(cut, featureSize, classes, classWeights);
                    cut.foldInto(top);
                    layout.copyWeights(trainedHead, top);
                    return top;
                }, new GraphTrainer.Data(train, trainLabels), new GraphTrainer.Data(validation, validationLabels),
                        dataDigest + "|" + head + "|" + config + "|cut=" + cut.cut(), resume,
                        epoch -> rows(trainLabels.length / variants, variants, epoch), true, log);
        return new Result(result.best(), result.state());
    }

    /** {@code variantsPerEpoch} variants of every image, rotating so successive epochs see other ones. */
    int[] rows(int images, int variants, int epoch) {
        int per = Math.min(variants, config.variantsPerEpoch());
        int[] rows = new int[images * per];
        for (int i = 0; i < images; i++) {
            for (int k = 0; k < per; k++) {
                rows[i * per + k] = i * variants + ((epoch - 1) * per + k + i) % variants;
            }
        }
        return rows;
    }

    private ComputationGraph graph(TrunkCut cut, int featureSize, int classes, INDArray classWeights) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(head.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .l2(head.l2())
                .graphBuilder();
        String pooled = cut.addAbove(g);
        g.setOutputs(new Head(head).addTrainingLayers(g, pooled, featureSize, classes, classWeights));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}
