/** The trainer command line (train, evaluate) and its flags, errors through the shared UserErrorHandler. Imports train and backbone, not features or augment; no trainer package imports it. */
package dev.clothes.trainer.cli;
