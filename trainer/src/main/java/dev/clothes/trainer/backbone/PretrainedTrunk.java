package dev.clothes.trainer.backbone;

import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.bundle.Quantization;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.runtime.Quantizer;
import dev.clothes.trainer.TrainingException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorType;

/**
 * A backbone with the file its ImageNet weights come from: a TFLite file (MobileNetV2, and trunks read
 * whole from the file such as MobileNet-EdgeTPU), a Keras {@code .h5} (the Keras-style backbones) or the
 * DL4J zoo's saved graph (the zoo backbones).
 */
public record PretrainedTrunk(Backbone backbone, Path weightsFile, byte[] weights, Format format) {

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

    /** Kinds of weight files. */
    public enum Format {
        TFLITE,
        KERAS_H5,
        /** A DL4J {@code ModelSerializer} zip of a zoo model, as the zoo's pretrained files are. */
        ZOO
    }

    public String weightsSha256() {
        return Checksums.sha256(weights);
    }

    /**
     * MobileNetV2 from a TFLite file takes the normalisation its input quantization implies, so
     * DL4J and TFLite see the same values.
     */
    public static PretrainedTrunk mobileNetV2FromTflite(Path file, byte[] tflite) {
        requireFormat(file, tflite, Format.TFLITE);
        return new PretrainedTrunk(new MobileNetV2(tfliteInputNormalization(tflite)), file, tflite, Format.TFLITE);
    }

    /**
     * A trunk read whole from a TFLite file of standard ops (architecture and weights), as {@code id}.
     *
     * @param inputSize, featureSize what the architecture {@code id} reads and gives; another file is refused
     */
    public static PretrainedTrunk fromTflite(String id, int inputSize, int featureSize, Path file, byte[] tflite) {
        requireFormat(file, tflite, Format.TFLITE);
        TfliteBackbone backbone;
        try {
            backbone = TfliteBackbone.read(id, tflite);
        } catch (IllegalArgumentException e) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID, file + " cannot be read as "
                    + id + ": " + e.getMessage(), e);
        }
        if (backbone.inputSize() != inputSize || backbone.featureSize() != featureSize) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID, file + " does not fit " + id
                    + ": its trunk reads " + backbone.inputSize() + " px and gives " + backbone.featureSize()
                    + " features, not " + inputSize + " px and " + featureSize);
        }
        return new PretrainedTrunk(backbone, file, tflite, Format.TFLITE);
    }

    public static PretrainedTrunk fromKerasH5(Backbone backbone, Path file, byte[] h5) {
        requireFormat(file, h5, Format.KERAS_H5);
        return new PretrainedTrunk(backbone, file, h5, Format.KERAS_H5);
    }

    /**
     * A zoo architecture takes the graph saved with its weights: the layers those weights were
     * trained in, whatever the zoo's code builds today.
     *
     * @param zip the zoo model's pretrained file, or any DL4J saved ComputationGraph of that architecture
     */
    public static PretrainedTrunk fromZoo(ZooBackbone.Architecture architecture, Path file, byte[] zip) {
        requireFormat(file, zip, Format.ZOO);
        try {
            return new PretrainedTrunk(ZooBackbone.fromSaved(architecture, ZooWeights.savedConfiguration(zip)), file,
                    zip, Format.ZOO);
        } catch (IllegalArgumentException e) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID, file + " does not fit "
                    + architecture.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads these weights into a graph built by this trunk's backbone.
     *
     * @param headLayers layers added after the trunk, which the weights file does not hold
     */
    public void loadInto(ComputationGraph graph, java.util.Set<String> headLayers) {
        if (format == Format.TFLITE && !(backbone instanceof MobileNetV2) && !(backbone instanceof TfliteBackbone)) {
            throw new IllegalArgumentException("TFLite weights can only be imported into mobilenet-v2 or a trunk read "
                    + "from the file, not " + backbone.id());
        }
        if ((format == Format.ZOO) != (backbone instanceof ZooBackbone)) {
            throw new IllegalArgumentException("zoo weights go with zoo backbones only, not " + format + " weights "
                    + "with " + backbone.id());
        }
        try {
            if (format == Format.KERAS_H5) {
                KerasH5Weights.load(graph, weightsFile, headLayers);
            } else if (format == Format.ZOO) {
                ZooWeights.load(graph, weights, headLayers);
            } else if (backbone instanceof TfliteBackbone fromFile) {
                fromFile.loadInto(graph);
            } else {
                TfliteWeights.load(graph, MobileNetV2.convolutionsWithBatchNorm(), TfliteWeights.convolutions(weights),
                        MobileNetV2.BN_EPSILON);
            }
        } catch (IllegalArgumentException e) {
            // The readers refuse a file that does not fit the graph this way; here the file is the user's choice.
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID, weightsFile + " does not fit "
                    + backbone.id() + ": " + e.getMessage(), e);
        }
    }

    /** Fails fast, before any features are computed, on a file that is not of the format it is read as. */
    private static void requireFormat(Path file, byte[] bytes, Format format) {
        boolean ok = switch (format) {
            case TFLITE -> bytes.length >= 8
                    && Model.ModelBufferHasIdentifier(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
            case KERAS_H5 -> hasHdf5Signature(bytes);
            case ZOO -> java.util.Arrays.equals(bytes, 0, Math.min(bytes.length, ZIP_SIGNATURE.length), ZIP_SIGNATURE,
                    0, ZIP_SIGNATURE.length);
        };
        if (!ok) {
            throw new TrainingException(TrainingException.Kind.WEIGHTS_INVALID, file + " is not a " + switch (format) {
                case TFLITE -> "TensorFlow Lite file (no TFL3 identifier)";
                case KERAS_H5 -> "Keras .h5 file (no HDF5 signature)";
                case ZOO -> "DL4J saved model (no zip signature)";
            } + "; --weights takes a .tflite (mobilenet-v2, mobilenet-edgetpu), a Keras .h5, or the zoo's .zip for a zoo "
                    + "backbone");
        }
    }

    /** HDF5 puts its signature at byte 0, or after a user block of 512, 1024, 2048, ... bytes. */
    private static boolean hasHdf5Signature(byte[] bytes) {
        for (int at = 0; at + HDF5_SIGNATURE.length <= bytes.length; at = at == 0 ? 512 : at * 2) {
            if (java.util.Arrays.equals(bytes, at, at + HDF5_SIGNATURE.length, HDF5_SIGNATURE, 0,
                    HDF5_SIGNATURE.length)) {
                return true;
            }
        }
        return false;
    }

    /** The pixel-preserving normalisation of the file's quantized input, [-1, 1] for a float input. */
    static Normalization tfliteInputNormalization(byte[] tflite) {
        Model model = Model.getRootAsModel(ByteBuffer.wrap(tflite).order(ByteOrder.LITTLE_ENDIAN));
        SubGraph graph = model.subgraphs(0);
        Tensor input = graph.tensors(graph.inputs(0));
        QuantizationParameters q = input.quantization();
        if (q == null || q.scaleLength() == 0) {
            return Normalization.MINUS_ONE_TO_ONE;
        }
        return Quantizer.pixelPreserving(
                input.type() == TensorType.INT8 ? dev.clothes.inference.bundle.TensorType.INT8
                        : dev.clothes.inference.bundle.TensorType.UINT8,
                new Quantization(q.scale(0), q.zeroPoint(0)));
    }
}
