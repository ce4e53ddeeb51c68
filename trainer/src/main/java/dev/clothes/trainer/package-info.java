/** What every trainer package may use: the user cache folders and TrainingException. Imports no other trainer package; no trainer package imports the converter or the Lambda. */
package dev.clothes.trainer;
