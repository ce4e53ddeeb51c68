package dev.clothes.trainer.features;

import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.Preprocessor;
import dev.clothes.inference.preprocess.TensorLayout;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.trainer.TrainingException;
import dev.clothes.trainer.backbone.TfliteWeights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;

/**
 * The previous executor: the ImageNet {@code .tflite} file itself (int8) run by the TFLite
 * runtime, read at its global pooling. Training no longer uses it (its int8 features differ from
 * the float trunk the bundle serves, and it is ~6x slower than {@link Float32TfliteTrunk}, see
 * reports/trunk-speed.md); it stays for TrunkBench's old-vs-new comparison.
 */
public final class TfliteFileTrunk implements FeatureTrunk {

    private final TfliteRuntime runtime;
    private final Preprocessor preprocessor;
    private final String weightsSha256;
    private final String pooledTensor;
    private final int featureSize;

    /** @param preprocessing the backbone's preprocessing (any layout; TFLite reads NHWC) */
    public TfliteFileTrunk(byte[] tflite, Preprocessing preprocessing, int workers) {
        this.weightsSha256 = Checksums.sha256(tflite);
        this.pooledTensor = pooledTensorName(tflite);
        this.runtime = new TfliteRuntime(tflite, new RuntimeOptions(1, workers), "trunk", pooledTensor);
        this.featureSize = runtime.output().elementCount();
        this.preprocessor = new Preprocessor(preprocessing.withLayout(TensorLayout.NHWC));
    }

    /** Output tensor of the last AVERAGE_POOL_2D or MEAN operator. */
    static String pooledTensorName(byte[] tflite) {
        Model model = Model.getRootAsModel(ByteBuffer.wrap(tflite).order(ByteOrder.LITTLE_ENDIAN));
        SubGraph graph = model.subgraphs(0);
        String name = null;
        for (int i = 0; i < graph.operatorsLength(); i++) {
            int builtin = TfliteWeights.builtinCode(model, graph.operators(i));
            if (builtin == BuiltinOperator.AVERAGE_POOL_2D || builtin == BuiltinOperator.MEAN) {
                name = graph.tensors(graph.operators(i).outputs(0)).name();
            }
        }
        if (name == null) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID,
                    "the TFLite weights have no global pooling to read features from");
        }
        return name;
    }

    /** Runs on one of the pooled interpreters. */
    @Override
    public float[] features(RgbImage image) {
        return runtime.run(preprocessor.apply(image));
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public String cacheIdentity() {
        return weightsSha256 + '|' + pooledTensor + '|' + preprocessor.spec();
    }

    public String weightsSha256() {
        return weightsSha256;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
