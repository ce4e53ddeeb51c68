package dev.clothes.benchmarks.batch;

import dev.clothes.benchmarks.machine.Load;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.image.ImageDecoder;
import dev.clothes.inference.preprocess.Preprocessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorData;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

/**
 * Does TensorFlow Lite run a float32 bundle faster per image in batches? The bundle's model with its input
 * resized to [N, h, w, c] for every N asked, on the same preprocessed photos, timed per image in rounds that
 * alternate between the sizes; each batch's scores are checked against batch 1's. Writes
 * {@code batch_size,threads,images,best_ms_per_image,median_ms_per_image,max_abs_diff,load_1min}.
 */
@Command(name = "tflite-batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Per-image inference time of a TFLite float32 bundle at several batch sizes (one interpreter, "
                + "input resized to [N, h, w, c]), rounds alternating between sizes; scores checked against batch 1.",
                "", "Options:"})
public final class TfliteBatchBench implements Callable<Integer> {

    @Option(names = "--bundle", required = true, description = "TFLite float32 bundle directory or zip.")
    Path bundle;

    @Option(names = "--images", required = true, description = "Folder of photos (the first --count JPEGs, sorted).")
    Path images;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8,16",
            description = "Batch sizes to compare (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--threads", defaultValue = "1", description = "Interpreter threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--count", defaultValue = "128",
            description = "Photos per round and batch size; a multiple of every batch size (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds over all sizes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--out", description = "CSV to write (default: print only).")
    Path out;

    @Override
    public Integer call() throws IOException {
        for (int n : batchSizes) {
            if (n < 1 || count % n != 0) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--count " + count + " must be a multiple of every batch size, got " + n);
            }
        }
        ModelBundle model = ModelBundle.load(bundle);
        float[][] inputs = preprocessed(model);
        int length = inputs[0].length;
        byte[] flatbuffer = model.modelBytes();
        try (BytePointer buffer = new BytePointer(flatbuffer.length).put(flatbuffer);
             FlatBufferModel graph = FlatBufferModel.BuildFromBuffer(buffer, flatbuffer.length);
             BuiltinOpResolver resolver = new BuiltinOpResolver()) {
            List<Batched> sessions = new ArrayList<>();
            for (int n : batchSizes) {
                sessions.add(new Batched(graph, resolver, n, threads, length));
            }
            float[][] reference = sessions.get(0).scoreAll(inputs);
            double[][] perImage = new double[sessions.size()][rounds];
            double[] maxDiff = new double[sessions.size()];
            for (Batched s : sessions) {
                s.scoreAll(inputs); // warm-up
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < sessions.size(); i++) {
                    long t0 = System.nanoTime();
                    float[][] scores = sessions.get(i).scoreAll(inputs);
                    perImage[i][r] = (System.nanoTime() - t0) / 1e6 / inputs.length;
                    for (int k = 0; k < scores.length; k++) {
                        for (int c = 0; c < scores[k].length; c++) {
                            maxDiff[i] = Math.max(maxDiff[i], Math.abs(scores[k][c] - reference[k][c]));
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "round %d/%d done%n", r + 1, rounds);
            }
            StringBuilder csv = new StringBuilder(
                    "batch_size,threads,images,best_ms_per_image,median_ms_per_image,max_abs_diff,load_1min\n");
            for (int i = 0; i < sessions.size(); i++) {
                double[] times = perImage[i].clone();
                java.util.Arrays.sort(times);
                csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.3f,%.2e,%.2f%n", sessions.get(i).batch, threads,
                        inputs.length, times[0], times[times.length / 2], maxDiff[i], Load.oneMinute()));
            }
            sessions.forEach(Batched::close);
            System.out.print(csv);
            if (out != null) {
                Files.writeString(out, csv);
            }
        }
        return 0;
    }

    private float[][] preprocessed(ModelBundle model) throws IOException {
        Preprocessor preprocessor = new Preprocessor(model.manifest().preprocessing());
        ImageDecoder decoder = new ImageDecoder();
        List<Path> files;
        try (var walk = Files.walk(images)) {
            files = walk.filter(f -> f.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().limit(count)
                    .toList();
        }
        if (files.size() < count) {
            throw new IllegalArgumentException(images + " holds " + files.size() + " JPEGs, fewer than --count " + count);
        }
        float[][] inputs = new float[count][];
        for (int i = 0; i < count; i++) {
            inputs[i] = preprocessor.apply(decoder.decode(Files.readAllBytes(files.get(i)),
                    preprocessor.spec().decodeScale()));
        }
        return inputs;
    }

    /** One interpreter with its input resized to a batch of {@code batch} images. */
    private static final class Batched implements AutoCloseable {
        final int batch;
        private final Interpreter interpreter = new Interpreter((Pointer) null);
        private final FloatPointer input;
        private final FloatPointer output;
        private final int classes;
        private final int length;

        Batched(FlatBufferModel graph, BuiltinOpResolver resolver, int batch, int threads, int length) {
            this.batch = batch;
            this.length = length;
            try (InterpreterBuilder builder = new InterpreterBuilder(graph, resolver)) {
                check(builder.apply(interpreter, threads), "build an interpreter");
            }
            int index = interpreter.inputs().get(0);
            TfLiteTensor in = interpreter.input_tensor(0);
            if (in.type() != kTfLiteFloat32) {
                throw new IllegalArgumentException("this compares float32 models; the input is not float32");
            }
            int[] dims = new int[in.dims().size()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.dims().data(d);
            }
            dims[0] = batch;
            check(interpreter.ResizeInputTensor(index, dims), "resize the input to " + java.util.Arrays.toString(dims));
            check(interpreter.AllocateTensors(), "allocate tensors for batch " + batch);
            TfLiteTensor out = interpreter.output_tensor(0);
            if (out.dims().data(0) != batch) {
                throw new IllegalStateException("the output's first dimension is " + out.dims().data(0)
                        + " for a batch of " + batch + ": the graph does not batch");
            }
            classes = (int) (out.bytes() / Float.BYTES / batch);
            input = new FloatPointer(TfLiteTensorData(in)).capacity((long) batch * length);
            output = new FloatPointer(TfLiteTensorData(out)).capacity((long) batch * classes);
        }

        float[][] scoreAll(float[][] inputs) {
            float[][] scores = new float[inputs.length][classes];
            float[] block = new float[batch * classes];
            for (int start = 0; start < inputs.length; start += batch) {
                for (int k = 0; k < batch; k++) {
                    input.position((long) k * length).put(inputs[start + k]);
                }
                check(interpreter.Invoke(), "run the model");
                output.position(0).get(block);
                for (int k = 0; k < batch; k++) {
                    System.arraycopy(block, k * classes, scores[start + k], 0, classes);
                }
            }
            return scores;
        }

        private static void check(int status, String what) {
            if (status != kTfLiteOk) {
                throw new IllegalStateException("TensorFlow Lite could not " + what);
            }
        }

        @Override
        public void close() {
            interpreter.close();
        }
    }
}
