/** The base type of errors shown to a user or caller as they are. Imports nothing of the project. */
package dev.clothes.inference.error;
