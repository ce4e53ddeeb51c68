package dev.clothes.inference.runtime.tflite;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Quantization;
import dev.clothes.inference.bundle.TensorSpec;
import dev.clothes.inference.bundle.TensorType;
import dev.clothes.inference.runtime.ModelOutputs;
import dev.clothes.inference.runtime.ModelRuntime;
import dev.clothes.inference.runtime.ModelSignature;
import dev.clothes.inference.runtime.Quantizer;
import dev.clothes.inference.runtime.RuntimeOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorData;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTypeGetName;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt8;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteUInt8;

/**
 * TensorFlow Lite through the JavaCPP presets, with a bounded pool of interpreters (an
 * interpreter is single-threaded).
 *
 * <p>Native lifetimes are the whole difficulty here: TFLite reads weights in place from the model
 * buffer and calls kernels through the op resolver's registrations, but JavaCPP frees a
 * {@link Pointer} it allocated as soon as the Java object is unreachable. If the buffer, the
 * {@link FlatBufferModel} or the {@link BuiltinOpResolver} were locals, a garbage collection
 * during a long run frees them under a live interpreter and the next {@code Invoke} crashes the
 * JVM. This class therefore owns all of them in fields until {@link #close()}, and frees them
 * explicitly in reverse order.
 */
public final class TfliteRuntime implements ModelRuntime {

    private final BytePointer modelBuffer;
    private final FlatBufferModel model;
    private final BuiltinOpResolver resolver;
    private final List<Session> sessions = new ArrayList<>();
    private final BlockingQueue<Session> idle;
    private final ModelSignature signature;
    private boolean closed;

    public TfliteRuntime(byte[] flatbuffer, RuntimeOptions options, String source) {
        this(flatbuffer, options, source, null, null);
    }

    /**
     * @param outputTensor name of the tensor to read instead of the model output, e.g. the pooled
     *                     features before an ImageNet classifier; null for the model output
     */
    public TfliteRuntime(byte[] flatbuffer, RuntimeOptions options, String source, String outputTensor) {
        this(flatbuffer, options, source, outputTensor, null);
    }

    /**
     * @param outputTensor see {@link #TfliteRuntime(byte[], RuntimeOptions, String, String)}
     * @param embeddingOutput name of a second model output to read as the embedding, or null
     */
    public TfliteRuntime(byte[] flatbuffer, RuntimeOptions options, String source, String outputTensor,
                         String embeddingOutput) {
        modelBuffer = new BytePointer(flatbuffer.length);
        modelBuffer.put(flatbuffer);
        // The verifier rejects a corrupt or non-TFLite file before any kernel can read out of bounds.
        model = FlatBufferModel.VerifyAndBuildFromBuffer(modelBuffer, flatbuffer.length);
        if (model == null || model.isNull()) {
            modelBuffer.close();
            throw new BundleException(source + ": the model file is not a valid TensorFlow Lite flatbuffer");
        }
        resolver = new BuiltinOpResolver();
        idle = new ArrayBlockingQueue<>(options.poolSize());
        try {
            for (int i = 0; i < options.poolSize(); i++) {
                Session s = new Session(model, resolver, options.threads(), source, outputTensor, embeddingOutput);
                sessions.add(s);
                idle.add(s);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Session first = sessions.get(0);
        signature = new ModelSignature(first.inputSpec, first.outputSpec, first.embeddingSpec);
    }

    public static TfliteRuntime open(ModelBundle bundle, RuntimeOptions options) {
        TensorSpec declared = bundle.manifest().embedding();
        TfliteRuntime runtime = new TfliteRuntime(bundle.modelBytes(), options, bundle.source(), null,
                declared == null ? null : declared.name());
        try {
            ModelSignature.checkDeclared(bundle, runtime.input(), runtime.output());
            TensorSpec actual = runtime.signature.embedding();
            if (declared != null && actual.elementCount() != declared.elementCount()) {
                throw new BundleException(bundle.source() + ": bundle.json says embedding " + declared.shape()
                        + " but the model's " + declared.name() + " is " + actual.shape());
            }
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelOutputs infer(float[] values) {
        signature.checkInput(values);
        Session session = acquire();
        try {
            ModelOutputs out = session.run(values);
            return signature.outputs(out.scores(), out.embedding());
        } finally {
            idle.add(session);
        }
    }

    private Session acquire() {
        try {
            while (true) {
                synchronized (this) {
                    if (closed) {
                        throw new IllegalStateException("the model runtime is closed");
                    }
                }
                // Short waits so a close() while queued fails the caller instead of parking it forever.
                Session s = idle.poll(100, TimeUnit.MILLISECONDS);
                if (s != null) {
                    synchronized (this) {
                        if (closed) {
                            idle.add(s);
                            throw new IllegalStateException("the model runtime is closed");
                        }
                    }
                    return s;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free interpreter", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Wait for running inferences to hand their interpreter back before freeing anything.
        int returned = 0;
        try {
            while (returned < sessions.size() && idle.poll(1, TimeUnit.MINUTES) != null) {
                returned++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (returned < sessions.size()) {
            // An inference is still running: leaking beats freeing memory it reads (a JVM crash).
            return;
        }
        sessions.forEach(Session::close);
        resolver.close();
        model.close();
        modelBuffer.close();
    }

    /** One interpreter with its tensors' native views. */
    private static final class Session {
        private final Interpreter interpreter = new Interpreter((Pointer) null);
        private final TensorSpec inputSpec;
        private final TensorSpec outputSpec;
        private final TensorSpec embeddingSpec;
        private final BytePointer inputData;
        private final BytePointer outputData;
        private final BytePointer embeddingData;
        private final byte[] inputBytes;
        private final byte[] outputBytes;

        Session(FlatBufferModel model, BuiltinOpResolver resolver, int threads, String source, String outputTensor,
                String embeddingOutput) {
            try (InterpreterBuilder builder = new InterpreterBuilder(model, resolver)) {
                if (outputTensor != null) {
                    // Otherwise the memory planner reuses intermediate tensors and the value is gone after Invoke.
                    builder.PreserveAllTensorsExperimental();
                }
                if (builder.apply(interpreter, threads) != kTfLiteOk || interpreter.isNull()) {
                    throw new BundleException(source + ": TensorFlow Lite could not build an interpreter "
                            + "(an op this runtime lacks?)");
                }
            }
            if (interpreter.inputs().limit() < 1 || interpreter.AllocateTensors() != kTfLiteOk) {
                interpreter.close();
                throw new BundleException(source + ": TensorFlow Lite could not allocate the model's tensors");
            }
            TfLiteTensor in = interpreter.input_tensor(0);
            TfLiteTensor out = outputTensor == null ? interpreter.output_tensor(0) : tensorNamed(outputTensor, source);
            TfLiteTensor emb = embeddingOutput == null ? null : outputNamed(embeddingOutput, source);
            inputSpec = spec(in, source);
            outputSpec = spec(out, source);
            embeddingSpec = emb == null ? null : spec(emb, source);
            if (embeddingSpec != null && embeddingSpec.type() != TensorType.FLOAT32) {
                interpreter.close();
                throw new BundleException(source + ": the embedding output " + embeddingOutput + " is "
                        + embeddingSpec.type() + "; only float32 embeddings are supported");
            }
            // Data pointers are stable after AllocateTensors (it runs once, and lazily applied
            // delegates such as XNNPACK are applied by then).
            inputData = new BytePointer(TfLiteTensorData(in)).capacity(in.bytes());
            outputData = new BytePointer(TfLiteTensorData(out)).capacity(out.bytes());
            embeddingData = emb == null ? null : new BytePointer(TfLiteTensorData(emb)).capacity(emb.bytes());
            inputBytes = inputSpec.type().isQuantized() ? new byte[(int) in.bytes()] : null;
            outputBytes = outputSpec.type().isQuantized() ? new byte[(int) out.bytes()] : null;
        }

        private TfLiteTensor tensorNamed(String name, String source) {
            for (int i = 0; i < interpreter.tensors_size(); i++) {
                TfLiteTensor t = interpreter.tensor(i);
                if (t.name() != null && name.equals(t.name().getString())) {
                    return t;
                }
            }
            interpreter.close();
            throw new BundleException(source + ": the model has no tensor named " + name);
        }

        /** A model output (not an intermediate tensor, which the memory planner may reuse) by name. */
        private TfLiteTensor outputNamed(String name, String source) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < interpreter.outputs().limit(); i++) {
                TfLiteTensor t = interpreter.output_tensor(i);
                String tensorName = t.name() == null ? "" : t.name().getString();
                if (name.equals(tensorName)) {
                    return t;
                }
                names.add(tensorName);
            }
            interpreter.close();
            throw new BundleException(source + ": the model has no output named " + name + " (it has " + names + ")");
        }

        ModelOutputs run(float[] values) {
            if (inputBytes != null) {
                Quantizer.quantize(values, inputSpec.type(), inputSpec.quantization(), inputBytes);
                inputData.position(0).put(inputBytes);
            } else {
                new FloatPointer(inputData).put(values);
            }
            if (interpreter.Invoke() != kTfLiteOk) {
                throw new IllegalStateException("TensorFlow Lite failed to run the model");
            }
            float[] result = new float[outputSpec.elementCount()];
            if (outputBytes != null) {
                outputData.position(0).get(outputBytes);
                Quantizer.dequantize(outputBytes, outputSpec.type(), outputSpec.quantization(), result);
            } else {
                new FloatPointer(outputData).get(result);
            }
            float[] embedded = null;
            if (embeddingData != null) {
                embedded = new float[embeddingSpec.elementCount()];
                new FloatPointer(embeddingData).get(embedded);
            }
            return new ModelOutputs(result, embedded);
        }

        void close() {
            interpreter.close();
        }

        private static TensorSpec spec(TfLiteTensor tensor, String source) {
            List<Integer> shape = new ArrayList<>();
            for (int i = 0; i < tensor.dims().size(); i++) {
                shape.add(tensor.dims().data(i));
            }
            TensorType type = switch (tensor.type()) {
                case kTfLiteFloat32 -> TensorType.FLOAT32;
                case kTfLiteUInt8 -> TensorType.UINT8;
                case kTfLiteInt8 -> TensorType.INT8;
                default -> throw new BundleException(source + ": tensor " + tensor.name().getString() + " is "
                        + TfLiteTypeGetName(tensor.type()).getString() + "; only float32, uint8 and int8 inputs/outputs "
                        + "are supported");
            };
            Quantization q = type.isQuantized()
                    ? new Quantization(tensor.params().scale(), tensor.params().zero_point())
                    : null;
            return new TensorSpec(tensor.name().getString(), shape, type, q);
        }
    }
}
