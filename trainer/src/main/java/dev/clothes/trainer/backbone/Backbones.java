package dev.clothes.trainer.backbone;

import dev.clothes.inference.preprocess.Normalization;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Every backbone the trainer knows, Keras-applications style: per id, the architecture's builder,
 * how its ImageNet weights are loaded, and where they come from when none are given.
 */
public final class Backbones {

    /** MobileNetV2's default weights, relative to the working folder: Keras-trained, 1.5 pp better on
     *  validation here than the TF1 quantized file. */
    public static final String MOBILENET_V2_WEIGHTS = "../shared/models/imagenet/tf2_mobilenet_v2_1.0_224_ptq.tflite";

    /** The shared models folder: {@code ../shared} beside the checkout, or {@code -Dshared.dir=DIR}. */
    private static final String SHARED = System.getProperty("shared.dir", "../shared");

    /** MobileNet-EdgeTPU 1.0 (Google's TF1 slim checkpoint, 75.6 % ImageNet top-1 in uint8), read from its TFLite file. */
    public static final String MOBILENET_EDGETPU = "mobilenet-edgetpu";

    /** MobileNet-EdgeTPU's weights (and architecture), relative to the working folder. */
    public static final String MOBILENET_EDGETPU_WEIGHTS = "../shared/models/imagenet/mobilenet_edgetpu_224_1.0_uint8.tflite";

    /** Turns a weights file into the backbone with those weights. */
    @FunctionalInterface
    public interface WeightsLoader {
        /** @param builder the entry's builder, for weights that need no other input scaling */
        PretrainedTrunk load(Supplier<Backbone> builder, Path file, byte[] bytes);
    }

    /** Where an entry's weights come from when the run names none. */
    public sealed interface DefaultWeights {

        /** The local copy to load, fetched first if need be. */
        Path locate(PrintStream log) throws IOException;

        /** The weights file's name, for reports. */
        String fileName();
    }

    /** A file on disk. */
    public record LocalFile(Path file) implements DefaultWeights {
        public LocalFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public Path locate(PrintStream log) {
            return file;
        }

        @Override
        public String fileName() {
            return file.getFileName().toString();
        }
    }

    /** A published file, downloaded once into the user cache and verified. */
    public record Download(WeightsSource source) implements DefaultWeights {
        public Download {
            Objects.requireNonNull(source, "source");
        }

        @Override
        public Path locate(PrintStream log) throws IOException {
            return new WeightsDownloader(WeightsDownloader.defaultCacheDir(), log).fetch(source);
        }

        @Override
        public String fileName() {
            return source.fileName();
        }
    }

    /** A DL4J zoo model's ImageNet weights, fetched by the zoo into its own cache. */
    public record ZooPretrained(ZooBackbone.Architecture architecture) implements DefaultWeights {
        public ZooPretrained {
            Objects.requireNonNull(architecture, "architecture");
        }

        @Override
        public Path locate(PrintStream log) {
            return ZooWeights.fetch(architecture, log);
        }

        @Override
        public String fileName() {
            return ZooWeights.fileName(architecture);
        }
    }

    /**
     * One architecture.
     *
     * @param builder        the architecture with its weights' input scaling (a loader may choose another)
     * @param loader         reads a weights file into a {@link PretrainedTrunk}
     * @param defaultWeights used when the run names no weights file
     */
    public record Entry(String id, Supplier<Backbone> builder, WeightsLoader loader, DefaultWeights defaultWeights) {

        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(builder, "builder");
            Objects.requireNonNull(loader, "loader");
            Objects.requireNonNull(defaultWeights, "defaultWeights");
        }

        public int inputSize() {
            return builder.get().inputSize();
        }

        /** The backbone with {@code weights}, or with its default weights when that is null. */
        public PretrainedTrunk pretrained(Path weights, PrintStream log) throws IOException {
            Path file = weights != null ? weights : defaultWeights.locate(log);
            return loader.load(builder, file, Files.readAllBytes(file));
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(MobileNetV2.ID, () -> new MobileNetV2(Normalization.MINUS_ONE_TO_ONE),
                    // A TFLite file sets the input scaling its quantization implies.
                    (builder, file, bytes) -> file.toString().endsWith(".h5")
                            ? PretrainedTrunk.fromKerasH5(builder.get(), file, bytes)
                            : PretrainedTrunk.mobileNetV2FromTflite(file, bytes),
                    new LocalFile(shared(MOBILENET_V2_WEIGHTS))),
            // The architecture is read from the file itself (standard TFLite ops): its builder is that reader.
            new Entry(MOBILENET_EDGETPU, () -> TfliteBackbone.read(MOBILENET_EDGETPU,
                    readDefault(shared(MOBILENET_EDGETPU_WEIGHTS))),
                    (builder, file, bytes) -> PretrainedTrunk.fromTflite(MOBILENET_EDGETPU, 224, 1280, file, bytes),
                    new LocalFile(shared(MOBILENET_EDGETPU_WEIGHTS))),
            new Entry(InceptionV3.ID, InceptionV3::new,
                    (builder, file, bytes) -> PretrainedTrunk.fromKerasH5(builder.get(), file, bytes),
                    new Download(WeightsSource.KERAS_INCEPTION_V3_NOTOP)),
            zoo(ZooBackbone.Architecture.RESNET50),
            zoo(ZooBackbone.Architecture.VGG16),
            zoo(ZooBackbone.Architecture.XCEPTION));

    private Backbones() {
    }

    /** A file documented as under {@code ../shared}, under the shared folder in use. */
    private static Path shared(String documented) {
        return Path.of(SHARED).resolve(documented.substring("../shared/".length()));
    }

    private static byte[] readDefault(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Entry zoo(ZooBackbone.Architecture architecture) {
        return new Entry(architecture.id(), () -> new ZooBackbone(architecture),
                (builder, file, bytes) -> PretrainedTrunk.fromZoo(architecture, file, bytes),
                new ZooPretrained(architecture));
    }

    public static List<String> ids() {
        return ENTRIES.stream().map(Entry::id).toList();
    }

    /** The entry for {@code id}; an unknown id fails listing the known ones. */
    public static Entry byId(String id) {
        return ENTRIES.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backbone '" + id + "'; known: "
                        + String.join(", ", ids())));
    }
}
