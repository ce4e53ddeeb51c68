package dev.clothes.quality.pipeline;

import dev.clothes.graphexport.dl4j.Dl4jImporter;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.onnx.OnnxWriter;
import dev.clothes.graphexport.tflite.TfliteWriter;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.trainer.backbone.InceptionV3;
import dev.clothes.trainer.train.HeadConfig;
import dev.clothes.trainer.train.ModelAssembly;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/** The trainer's whole InceptionV3 + head graph converts to TFLite and ONNX with the DL4J graph's outputs. */
class InceptionV3ExportTest {

    @Test
    void fullInceptionV3WithHeadConverts() throws Exception {
        ComputationGraph inception = ModelAssembly.graph(new InceptionV3(), HeadConfig.DEFAULT, 10);
        IrGraph ir = Dl4jImporter.importGraph(inception, 299, 299, 3);
        byte[] tflite = TfliteWriter.write(ir, "inception parity");
        float[] nhwc = new float[299 * 299 * 3];
        Random random = new Random(9);
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = random.nextFloat() * 2 - 1;
        }
        INDArray nchw = Nd4j.create(nhwc, new long[] {1, 299, 299, 3}, 'c').permute(0, 3, 1, 2).dup('c');
        float[] want = inception.outputSingle(false, nchw).toFloatVector();
        try (TfliteRuntime runtime = new TfliteRuntime(tflite, new RuntimeOptions(2, 1), "inception")) {
            float[] got = runtime.run(nhwc);
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], Offset.offset(1e-4f));
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(OnnxWriter.write(ir, "inception"));
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw.reshape(nchw.length()).toFloatVector()),
                     nchw.shape());
             OrtSession.Result result = session.run(Map.of("input_1", input))) {
            FloatBuffer onnx = ((OnnxTensor) result.get(0)).getFloatBuffer();
            for (int i = 0; i < want.length; i++) {
                assertThat(onnx.get(i)).isCloseTo(want[i], Offset.offset(1e-4f));
            }
        }
    }
}
