/** What every command line shares: picocli configured one way, user errors as one line, bugs with their trace, the classpath of a child JVM. Imports {@code inference.error}; never {@code dl4j}, {@code tflite}, {@code onnxruntime}, {@code spark}. */
package dev.clothes.cli;
