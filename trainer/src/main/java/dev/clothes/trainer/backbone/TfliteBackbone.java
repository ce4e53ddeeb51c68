package dev.clothes.trainer.backbone;

import dev.clothes.graphexport.dl4j.Dl4jBuilder;
import dev.clothes.graphexport.ir.IrGraph;
import dev.clothes.graphexport.ir.Op;
import dev.clothes.graphexport.ir.Shapes;
import dev.clothes.graphexport.tflite.TfliteReader;
import dev.clothes.inference.preprocess.Normalization;
import dev.clothes.inference.preprocess.Preprocessing;
import dev.clothes.inference.preprocess.TensorLayout;

import java.util.Objects;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A trunk whose architecture and weights both come from a TFLite file of standard ops (graph-export's
 * reader): the file's layers up to its last global average pooling, weights dequantized, layers named
 * after the file's tensors, input scaled as the file's input quantization implies. The builder of
 * every architecture only published as such a file (MobileNet-EdgeTPU).
 */
public final class TfliteBackbone implements Backbone {

    private final String id;
    private final IrGraph trunk;
    private final Normalization normalization;
    private final int featureSize;

    private TfliteBackbone(String id, IrGraph trunk, Normalization normalization) {
        this.id = Objects.requireNonNull(id, "id");
        this.trunk = trunk;
        this.normalization = normalization;
        if (trunk.height() != trunk.width() || trunk.channels() != 3) {
            throw new IllegalArgumentException("the file's input is " + trunk.height() + "x" + trunk.width() + "x"
                    + trunk.channels() + "; a square RGB input is needed");
        }
        int[] out = Shapes.of(trunk).get(trunk.output());
        this.featureSize = out[out.length - 1];
    }

    /**
     * @throws IllegalArgumentException when the file is not TFLite, has an operator the reader refuses or no
     *                                  global pooling
     */
    public static TfliteBackbone read(String id, byte[] tflite) {
        IrGraph trunk = TfliteReader.read(tflite, TfliteReader.pooledTensor(tflite));
        return new TfliteBackbone(id, trunk, PretrainedTrunk.tfliteInputNormalization(tflite));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int inputSize() {
        return trunk.height();
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public Preprocessing preprocessing() {
        return Preprocessing.minusOneToOne(inputSize()).withNormalization(normalization).withLayout(TensorLayout.NCHW);
    }

    @Override
    public String addTrunk(GraphBuilder graph, String input) {
        return Dl4jBuilder.addTo(graph, trunk, input);
    }

    /** Sets the file's weights in the layers {@link #addTrunk} added. */
    void loadInto(ComputationGraph graph) {
        Dl4jBuilder.loadWeights(graph, trunk);
    }

    /** The last residual add: the last block and the 1x1 convolution before the pooling are fine-tuned. */
    @Override
    public String fineTuneCut() {
        String cut = null;
        for (Op op : trunk.ops()) {
            if (op instanceof Op.Add) {
                cut = op.name();
            }
        }
        return cut != null ? cut : trunk.ops().get(0).name();
    }
}
