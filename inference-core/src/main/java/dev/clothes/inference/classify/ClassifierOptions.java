package dev.clothes.inference.classify;

import dev.clothes.inference.image.ImageLimits;
import dev.clothes.inference.runtime.RuntimeOptions;

/** How a {@link Classifier} decodes images and runs its model. */
public record ClassifierOptions(ImageLimits imageLimits, RuntimeOptions runtime) {

    public static final ClassifierOptions DEFAULT = new ClassifierOptions(ImageLimits.DEFAULT, RuntimeOptions.DEFAULT);

    public ClassifierOptions withRuntime(RuntimeOptions runtime) {
        return new ClassifierOptions(imageLimits, runtime);
    }
}
