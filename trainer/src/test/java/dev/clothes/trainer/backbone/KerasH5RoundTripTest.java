package dev.clothes.trainer.backbone;

import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.testing.Shared;
import dev.clothes.trainer.features.FeatureTrunk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;

/**
 * The whole MobileNetV2, TFLite-imported, saved as a Keras-layout .h5 by this test and loaded back
 * through the Keras path: the two trunks must compute the same features.
 */
class KerasH5RoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void mobileNetV2SurvivesAKerasH5RoundTrip() throws Exception {
        byte[] tflite = Shared.read(Shared.imagenet("mobilenet_v2_1.0_224_quant.tflite"));
        PretrainedTrunk fromTflite = PretrainedTrunk.mobileNetV2FromTflite(Path.of("m.tflite"), tflite);
        MobileNetV2 backbone = (MobileNetV2) fromTflite.backbone();
        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("input_1").setInputTypes(InputType.convolutional(224, 224, 3));
        g.setOutputs(backbone.addTrunk(g, "input_1"));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        fromTflite.loadInto(graph, java.util.Set.of());

        Path h5 = tmp.resolve("mobilenet_v2_notop.h5");
        writeKerasLayout(graph, h5);
        PretrainedTrunk fromKeras = PretrainedTrunk.fromKerasH5(new MobileNetV2(
                Normalization.uniform(128, 128)), h5, Files.readAllBytes(h5));

        RgbImage cat = new ImageDecoder().decode(Shared.read(Shared.imagenet("cat_720p.jpg")));
        float[] expected = graph.outputSingle(false, org.nd4j.linalg.factory.Nd4j.create(
                new dev.clothes.inference.preprocess.Preprocessor(backbone.preprocessing()).apply(cat),
                new long[] {1, 3, 224, 224}, 'c')).toFloatVector();
        try (FeatureTrunk keras = FeatureTrunk.dl4j(fromKeras)) {
            assertThat(keras.features(cat)).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    /** DL4J params to Keras datasets: OIHW kernels to HWIO, BN mean/var to moving_mean/moving_variance. */
    private static void writeKerasLayout(ComputationGraph graph, Path h5) {
        H5File file = new H5File(h5.toString(), H5F_ACC_TRUNC);
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            String name = layer.conf().getLayer().getLayerName();
            Group outer = file.createGroup(name);
            Group inner = outer.createGroup(name);
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray v = p.getValue();
                String keras;
                if (layer.conf().getLayer() instanceof BatchNormalization) {
                    keras = Map.of("gamma", "gamma", "beta", "beta", "mean", "moving_mean", "var", "moving_variance")
                            .get(p.getKey());
                    v = v.reshape(v.length());
                } else if (layer.conf().getLayer() instanceof DepthwiseConvolution2D) {
                    keras = "depthwise_kernel";
                } else {
                    keras = "kernel";
                    v = v.permute(2, 3, 1, 0); // OIHW -> HWIO
                }
                v = v.dup('c');
                DataSpace space = new DataSpace(v.rank(), v.shape());
                DataSet ds = inner.createDataSet(keras + ":0", PredType.NATIVE_FLOAT(), space);
                ds.write(new FloatPointer(v.reshape(v.length()).toFloatVector()), PredType.NATIVE_FLOAT());
                ds.close();
                space.close();
            }
            inner.close();
            outer.close();
        }
        file.close();
    }
}
