package dev.clothes.converter.golden;

import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.tflite.TfliteRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The checked-in exports (see {@link GoldenModels}) must keep loading and answering as recorded. */
class GoldenModelsTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenModelsTest.class.getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    private static float[] expected() throws IOException {
        String[] lines = new String(resource("expected-output.txt")).strip().split("\n");
        float[] v = new float[lines.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(lines[i]);
        }
        return v;
    }

    @Test
    void tfliteFixtureLoadsAndAnswers() throws Exception {
        try (TfliteRuntime runtime = new TfliteRuntime(resource("tiny.tflite"), new RuntimeOptions(1, 1), "golden")) {
            assertThat(runtime.run(GoldenModels.input())).containsExactly(expected(), within(1e-5f));
        }
    }

    @Test
    void onnxFixtureLoadsAndAnswers() throws Exception {
        int n = GoldenModels.SIZE;
        float[] nchw = Nd4j.create(GoldenModels.input(), new long[] {1, n, n, 3}, 'c').permute(0, 3, 1, 2).dup('c')
                .reshape(n * n * 3).toFloatVector();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(resource("tiny.onnx"));
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {1, 3, n, n});
             OrtSession.Result result = session.run(Map.of("input_1", input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] got = new float[out.remaining()];
            out.get(got);
            assertThat(got).containsExactly(expected(), within(1e-5f));
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("labels", "a\nb\nc");
        }
    }

    @Test
    void theGeneratorStillReproducesTheRecordedOutput() throws Exception {
        int n = GoldenModels.SIZE;
        float[] now = GoldenModels.graph().outputSingle(false, Nd4j.create(GoldenModels.input(), new long[] {1, n, n, 3},
                'c').permute(0, 3, 1, 2).dup('c')).toFloatVector();
        assertThat(now).containsExactly(expected(), within(1e-5f));
    }
}
