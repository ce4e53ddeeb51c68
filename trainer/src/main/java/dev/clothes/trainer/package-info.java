/** What every trainer package may use: the user cache folders and TrainingException. Imports {@code inference.error}. */
package dev.clothes.trainer;
