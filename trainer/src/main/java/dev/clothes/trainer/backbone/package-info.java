/** The ImageNet backbones as DL4J graphs and their pretrained weights: registry, TFLite and Keras .h5 import, download, the DL4J zoo's models. Imports inference-core and the trainer root only: nothing from augment, features, train or cli. */
package dev.clothes.trainer.backbone;
