/** Deployment: the SAM template read as data for checks, and the function package laid out per architecture. Imports nothing of the project; never {@code picocli}. */
package dev.clothes.lambda.deploy;
