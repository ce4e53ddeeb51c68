package dev.clothes.inference.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.TensorChecks;

import java.nio.FloatBuffer;
import java.util.Map;

/** ONNX Runtime (CPU) for float32 models; a session is thread-safe, so no pool is needed. */
public final class OnnxModelRuntime implements ModelRuntime {

    private final OrtSession session;
    private final TensorSpec input;
    private final TensorSpec output;
    private final long[] shape;

    private OnnxModelRuntime(OrtSession session, TensorSpec input, TensorSpec output) {
        this.session = session;
        this.input = input;
        this.output = output;
        this.shape = input.shape().stream().mapToLong(Integer::longValue).toArray();
    }

    public static OnnxModelRuntime open(ModelBundle bundle, RuntimeOptions options) {
        if (bundle.manifest().input().type() != TensorType.FLOAT32) {
            throw new BundleException(bundle.source() + ": the ONNX runtime here takes float32 inputs only");
        }
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.threads());
            so.setInterOpNumThreads(1);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(bundle.modelBytes(), so);
            if (!session.getInputNames().contains(bundle.manifest().input().name())) {
                session.close();
                throw new BundleException(bundle.source() + ": the ONNX model has no input named "
                        + bundle.manifest().input().name() + " (it has " + session.getInputNames() + ")");
            }
            return new OnnxModelRuntime(session, bundle.manifest().input(), bundle.manifest().output());
        } catch (OrtException e) {
            throw new BundleException(bundle.source() + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public TensorSpec input() {
        return input;
    }

    @Override
    public TensorSpec output() {
        return output;
    }

    @Override
    public float[] run(float[] values) {
        TensorChecks.checkInput(input, values);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(input.name(), tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer buffer = out.getFloatBuffer();
            float[] answer = new float[buffer.remaining()];
            buffer.get(answer);
            return TensorChecks.checkOutput(output, answer);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX session", e);
        }
    }
}
