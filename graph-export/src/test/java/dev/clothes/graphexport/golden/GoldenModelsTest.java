package dev.clothes.graphexport.golden;

import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;
import dev.clothes.testing.Golden;

import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The golden models (see {@link GoldenModels}) must keep loading and answering as recorded. */
class GoldenModelsTest {

    private static final long[] NCHW = {1, 3, Golden.SIZE, Golden.SIZE};

    @Test
    void tfliteFixtureLoadsAndAnswers() {
        try (TfliteRuntime runtime = new TfliteRuntime(Golden.bytes("tiny.tflite"), new RuntimeOptions(1, 1), "golden")) {
            assertThat(runtime.run(Golden.input())).containsExactly(Golden.expectedOutput(), within(1e-5f));
        }
    }

    @Test
    void onnxFixtureLoadsAndAnswers() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Golden.bytes("tiny.onnx"));
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(Golden.inputNchw()), NCHW);
             OrtSession.Result result = session.run(Map.of(Golden.INPUT, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] got = new float[out.remaining()];
            out.get(got);
            assertThat(got).containsExactly(Golden.expectedOutput(), within(1e-5f));
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("labels", "a\nb\nc");
        }
    }

    @Test
    void dl4jFixtureLoadsAndAnswers() throws Exception {
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(
                new ByteArrayInputStream(Golden.bytes("tiny-dl4j.zip")), false);
        assertThat(graph.outputSingle(false, Nd4j.create(Golden.inputNchw(), NCHW, 'c')).toFloatVector())
                .containsExactly(Golden.expectedOutput(), within(1e-6f));
    }

    @Test
    void theGeneratorStillReproducesTheRecordedOutput() {
        float[] now = GoldenModels.graph().outputSingle(false, Nd4j.create(Golden.inputNchw(), NCHW, 'c')).toFloatVector();
        assertThat(now).containsExactly(Golden.expectedOutput(), within(1e-5f));
    }
}
