package dev.clothes.inference.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelSignature;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/** ONNX Runtime (CPU) for float32 models; a session is thread-safe, so no pool is needed. */
public final class OnnxModelRuntime implements ModelRuntime {

    private final OrtSession session;
    private final ModelSignature signature;
    private final String outputName;
    private final Set<String> read;
    private final long[] shape;
    /**
     * Each calling thread's input buffer, direct and native-ordered: ONNX Runtime reads it in place, where a
     * heap buffer would be copied into a freshly allocated direct one on every call.
     */
    private final ThreadLocal<FloatBuffer> inputBuffers;

    private OnnxModelRuntime(OrtSession session, ModelSignature signature, String outputName) {
        this.session = session;
        this.signature = signature;
        this.outputName = outputName;
        this.read = signature.embedding() == null ? Set.of(outputName) : Set.of(outputName, signature.embedding().name());
        this.shape = signature.input().shape().stream().mapToLong(Integer::longValue).toArray();
        int length = signature.input().elementCount();
        this.inputBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(length * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    public static OnnxModelRuntime open(ModelBundle bundle, RuntimeOptions options) {
        if (bundle.manifest().input().type() != TensorType.FLOAT32) {
            throw new BundleException(bundle.source() + ": the ONNX runtime here takes float32 inputs only");
        }
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.threads());
            so.setInterOpNumThreads(1);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(bundle.modelBytes(), so);
            // Names are read before a refusal closes the session: a closed session answers nothing.
            Set<String> inputs = session.getInputNames();
            Set<String> outputs = session.getOutputNames();
            if (!inputs.contains(bundle.manifest().input().name())) {
                session.close();
                throw new BundleException(bundle.source() + ": the ONNX model has no input named "
                        + bundle.manifest().input().name() + " (it has " + inputs + ")");
            }
            TensorSpec embedding = bundle.manifest().embedding();
            if (embedding != null && !outputs.contains(embedding.name())) {
                session.close();
                throw new BundleException(bundle.source() + ": the ONNX model has no output named " + embedding.name()
                        + " (it has " + outputs + ")");
            }
            // Older bundles may not name the scores output as the model does; then it is the model's first.
            String scores = outputs.contains(bundle.manifest().output().name())
                    ? bundle.manifest().output().name() : outputs.iterator().next();
            return new OnnxModelRuntime(session,
                    new ModelSignature(bundle.manifest().input(), bundle.manifest().output(), embedding), scores);
        } catch (OrtException e) {
            throw new BundleException(bundle.source() + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelOutputs infer(float[] values) {
        signature.checkInput(values);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        FloatBuffer buffer = inputBuffers.get();
        buffer.clear().put(values).flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape);
             OrtSession.Result result = session.run(Map.of(signature.input().name(), tensor), read)) {
            TensorSpec embedding = signature.embedding();
            return signature.outputs(floats(result.get(outputName).orElseThrow()),
                    embedding == null ? null : floats(result.get(embedding.name()).orElseThrow()));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    private static float[] floats(ai.onnxruntime.OnnxValue value) {
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] answer = new float[buffer.remaining()];
        buffer.get(answer);
        return answer;
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
