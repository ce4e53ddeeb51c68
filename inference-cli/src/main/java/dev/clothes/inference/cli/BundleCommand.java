package dev.clothes.inference.cli;

import dev.clothes.cli.UserErrorHandler;
import dev.clothes.inference.bundle.BundleManifest;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.bundle.Postprocessing;
import dev.clothes.inference.bundle.Provenance;
import dev.clothes.inference.preprocess.CropMode;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.ResizeMethod;
import dev.clothes.inference.runtime.tflite.TfliteBundles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bundle", description = "Make or check model bundles.", mixinStandardHelpOptions = true,
        subcommands = {BundleCommand.Create.class, BundleCommand.Verify.class})
final class BundleCommand {

    /** Input value scaling choices for {@code --normalize}. */
    enum Scaling {
        AUTO, MINUS_ONE_TO_ONE, ZERO_TO_ONE, RAW
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Wrap a TensorFlow Lite image classifier and its labels into a model bundle.",
                "Tensor shapes and types are read from the model; the preprocessing is stored in bundle.json.",
                "Example: bundle create --model mobilenet_v2_1.0_224_quant.tflite --labels imagenet_labels.txt "
                    + "--out bundles/mobilenet-v2-imagenet"})
    static final class Create implements Callable<Integer> {

        @Option(names = "--model", required = true, description = "The .tflite file.")
        Path model;

        @Option(names = "--labels", required = true,
                description = "Text file, one label per line, in model output order.")
        Path labels;

        @Option(names = "--out", required = true,
                description = "Bundle to write: a directory, or a single file if it ends in .zip.")
        Path out;

        @Option(names = "--name", description = "Model name (default: the model file name).")
        String name;

        @Option(names = "--model-version", defaultValue = "1", description = "Model version (default: ${DEFAULT-VALUE}).")
        String version;

        @Option(names = "--normalize", defaultValue = "AUTO", description = {
            "Pixel scaling: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            "AUTO: quantized inputs get their pixels unchanged (what they were calibrated for), float inputs [-1, 1]."})
        Scaling scaling;

        @Option(names = "--resize", defaultValue = "BILINEAR",
                description = "Resize method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        ResizeMethod resize;

        @Option(names = "--center-crop", description = "Keep this central fraction (0-1] instead of stretching the whole image.")
        Double centerCrop;

        @Option(names = "--logits", description = "The model outputs logits; apply a softmax.")
        boolean logits;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            byte[] modelBytes = Files.readAllBytes(model);
            List<String> labelLines = TfliteBundles.readLabels(labels);
            String modelName = name != null ? name : model.getFileName().toString().replaceFirst("\\.tflite$", "");
            Provenance provenance = new Provenance(Instant.now().toString(), "inference bundle create 0.1.0",
                    model.getFileName().toString(), null,
                    dev.clothes.inference.bundle.Checksums.sha256(modelBytes), null);
            ModelBundle derived = TfliteBundles.wrap(modelBytes, labelLines, modelName, version, null,
                    logits ? Postprocessing.LOGITS : Postprocessing.PROBABILITIES, provenance);
            ModelBundle bundle = derived.withManifest(withPreprocessing(derived.manifest()));
            if (out.getFileName().toString().endsWith(".zip")) {
                bundle.writeZip(out);
            } else {
                bundle.writeTo(out);
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "wrote %s%n", out);
            Describe.manifest(w, bundle);
            return 0;
        }

        private BundleManifest withPreprocessing(BundleManifest m) {
            Preprocessing p = m.preprocessing();
            Normalization norm = switch (scaling) {
                case AUTO -> p.normalization();
                case MINUS_ONE_TO_ONE -> Normalization.MINUS_ONE_TO_ONE;
                case ZERO_TO_ONE -> Normalization.ZERO_TO_ONE;
                case RAW -> Normalization.RAW;
            };
            CropMode crop = centerCrop == null ? CropMode.STRETCH : CropMode.CENTER;
            double fraction = centerCrop == null ? 1.0 : centerCrop;
            Preprocessing chosen = UserErrorHandler.fromOptions(spec,
                    () -> p.withResize(resize).withCrop(crop, fraction).withNormalization(norm));
            return m.withPreprocessing(chosen);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a bundle's checksums and consistency and describe it.")
    static final class Verify implements Callable<Integer> {

        @Parameters(paramLabel = "BUNDLE", description = "Bundle directory or .zip.")
        Path bundle;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ModelBundle loaded = ModelBundle.load(bundle);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "OK: %s is intact (every file matches checksums.sha256)%n", bundle);
            Describe.manifest(w, loaded);
            return 0;
        }
    }
}
