package dev.clothes.graphexport;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs an ONNX model the writer made with the real ONNX Runtime, for parity tests. */
public final class OnnxRuns {

    private OnnxRuns() {
    }

    /** The first output for one NCHW input fed as {@code inputName}. */
    public static float[] run(byte[] model, INDArray nchw, String inputName) {
        try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(model);
             ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(
                     ai.onnxruntime.OrtEnvironment.getEnvironment(),
                     java.nio.FloatBuffer.wrap(nchw.reshape(nchw.length()).toFloatVector()), nchw.shape());
             ai.onnxruntime.OrtSession.Result result = session.run(java.util.Map.of(inputName, input))) {
            java.nio.FloatBuffer out = ((ai.onnxruntime.OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        } catch (ai.onnxruntime.OrtException e) {
            throw new AssertionError("ONNX Runtime rejected the model: " + e.getMessage(), e);
        }
    }
}
