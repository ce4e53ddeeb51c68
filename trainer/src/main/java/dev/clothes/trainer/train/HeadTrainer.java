package dev.clothes.trainer.train;

import dev.clothes.trainer.features.FeatureSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Trains the head on pooled trunk features (standardised first if the config says so), every row every
 * epoch; see {@link GraphTrainer}. The head it returns reads raw features.
 */
public final class HeadTrainer {

    static final String INPUT = "features";

    private final HeadConfig config;
    private final Path checkpointDir;

    public HeadTrainer(HeadConfig config, Path checkpointDir) {
        this.config = config;
        this.checkpointDir = checkpointDir;
    }

    /** The trained head (best epoch) and the per-epoch history. */
    public record Result(ComputationGraph head, TrainingState state) {
    }

    public Result train(FeatureSet train, FeatureSet validation, int classes, String dataDigest, boolean resume,
                        PrintStream log) throws IOException {
        int inputs = train.features()[0].length;
        INDArray classWeights = new Head(config).classWeights(train.labels(), classes);
        Standardization standardization = config.standardize() ? Standardization.fit(train.features()) : null;
        float[][] trainX = standardization == null ? train.features() : standardization.apply(train.features());
        float[][] validationX = standardization == null ? validation.features()
                : standardization.apply(validation.features());
        GraphTrainer.Result result = new GraphTrainer(checkpointDir, config.seed(), config.batchSize(),
                config.maxEpochs(), config.patience(), config.labelSmoothing(), config.mixup())
                .train(() -> graph(inputs, classes, classWeights),
                        new GraphTrainer.Data(Nd4j.create(trainX), train.labels()),
                        new GraphTrainer.Data(Nd4j.create(validationX), validation.labels()),
                        dataDigest + "|" + config, resume, epoch -> IntStream.range(0, train.size()).toArray(), false,
                        log);
        if (standardization != null) {
            // From here on (calibration, scorers, the deployable graph) the head reads raw features.
            standardization.foldInto(result.best(), new Head(config).layerNames().get(0));
        }
        return new Result(result.best(), result.state());
    }

    private ComputationGraph graph(int inputs, int classes, INDArray classWeights) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(config.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .l2(config.l2())
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(inputs));
        g.setOutputs(new Head(config).addTrainingLayers(g, INPUT, inputs, classes, classWeights));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}
