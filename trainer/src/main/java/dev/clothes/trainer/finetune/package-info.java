/** Fine-tuning the top of a pretrained trunk: where to cut it, batch norm folding, the cut-point activations. Imports nothing of the project. */
package dev.clothes.trainer.finetune;
