/** The trainer command line (train, evaluate) and its flags, errors through the shared UserErrorHandler. Imports {@code cli}, {@code evaluation.dataset}, {@code evaluation.metrics}, {@code evaluation.ood}, {@code inference.bundle}, {@code inference.classify}, {@code inference.preprocess}, {@code inference.runtime}, {@code trainer.train}. */
package dev.clothes.trainer.cli;
