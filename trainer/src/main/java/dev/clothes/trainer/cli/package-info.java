/** The trainer command line (train, evaluate) and its flags, errors through the shared UserErrorHandler. Imports {@code evaluation.dataset}, {@code evaluation.metrics}, {@code evaluation.ood}, {@code inference.bundle}, {@code inference.classify}, {@code cli}, {@code trainer.train}. */
package dev.clothes.trainer.cli;
