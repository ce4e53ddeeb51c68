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
import dev.clothes.inference.runtime.RuntimeOptions;
import dev.clothes.inference.runtime.TensorChecks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** ONNX Runtime (CPU) for float32 models; a session is thread-safe, so no pool is needed. */
public final class OnnxModelRuntime implements ModelRuntime {

    private final OrtSession session;
    private final TensorSpec input;
    private final TensorSpec output;
    private final TensorSpec embedding;
    private final String outputName;
    private final Set<String> read;
    private final long[] shape;
    /**
     * Each calling thread's input buffer, direct and native-ordered: ONNX Runtime reads it in place, where a
     * heap buffer would be copied into a freshly allocated direct one on every call.
     */
    private final ThreadLocal<FloatBuffer> inputBuffers;

    private OnnxModelRuntime(OrtSession session, TensorSpec input, TensorSpec output, TensorSpec embedding,
                             String outputName) {
        this.session = session;
        this.input = input;
        this.output = output;
        this.embedding = embedding;
        this.outputName = outputName;
        this.read = embedding == null ? Set.of(outputName) : Set.of(outputName, embedding.name());
        this.shape = input.shape().stream().mapToLong(Integer::longValue).toArray();
        int length = input.elementCount();
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
            return new OnnxModelRuntime(session, bundle.manifest().input(), bundle.manifest().output(), embedding,
                    scores);
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
    public Optional<TensorSpec> embedding() {
        return Optional.ofNullable(embedding);
    }

    @Override
    public ModelOutputs infer(float[] values) {
        TensorChecks.checkInput(input, values);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        FloatBuffer buffer = inputBuffers.get();
        buffer.clear().put(values).flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape);
             OrtSession.Result result = session.run(Map.of(input.name(), tensor), read)) {
            float[] scores = TensorChecks.checkOutput(output, floats(result.get(outputName).orElseThrow()));
            return new ModelOutputs(scores, embedding == null ? null
                    : TensorChecks.checkEmbedding(embedding, floats(result.get(embedding.name()).orElseThrow())));
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
