package dev.clothes.trainer.backbone;

import dev.clothes.inference.bundle.Checksums;
import dev.clothes.inference.preprocess.Normalization;

import java.nio.file.Path;

/**
 * A backbone with the file its ImageNet weights come from. MobileNetV2 from a TFLite file takes
 * the normalisation that file's input quantization implies, so DL4J and TFLite see the same values.
 */
public record PretrainedTrunk(Backbone backbone, Path weightsFile, byte[] weights) {

    public String weightsSha256() {
        return Checksums.sha256(weights);
    }

    public static PretrainedTrunk mobileNetV2FromTflite(Path file, byte[] tflite) {
        return new PretrainedTrunk(new MobileNetV2(tfliteInputNormalization(tflite)), file, tflite);
    }

    /** The [-1, 1]-like range a quantized TFLite input stores pixels in: mean = zero point, std = 1 / scale. */
    static Normalization tfliteInputNormalization(byte[] tflite) {
        var model = org.tensorflow.lite.schema.Model.getRootAsModel(
                java.nio.ByteBuffer.wrap(tflite).order(java.nio.ByteOrder.LITTLE_ENDIAN));
        var graph = model.subgraphs(0);
        var input = graph.tensors(graph.inputs(0));
        var q = input.quantization();
        if (q == null || q.scaleLength() == 0) {
            return Normalization.MINUS_ONE_TO_ONE;
        }
        double mean = input.type() == org.tensorflow.lite.schema.TensorType.INT8 ? q.zeroPoint(0) + 128 : q.zeroPoint(0);
        return Normalization.uniform(mean, 1 / q.scale(0));
    }
}
