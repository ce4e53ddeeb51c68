/** The ImageNet backbones as DL4J graphs and their pretrained weights: registry, TFLite and Keras .h5 import, download, the DL4J zoo's models. Imports {@code graphexport.dl4j}, {@code graphexport.ir}, {@code graphexport.tflite}, {@code inference.bundle}, {@code inference.preprocess}, {@code inference.runtime}, {@code trainer}. */
package dev.clothes.trainer.backbone;
