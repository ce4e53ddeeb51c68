/** The project's one Jackson configuration. Imports nothing of the project. */
package dev.clothes.inference.json;
